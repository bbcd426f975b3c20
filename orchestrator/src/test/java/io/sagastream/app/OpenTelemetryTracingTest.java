package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.sagastream.topology.SagaTracing;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenTelemetryTracingTest {

  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String CALLER_SPAN = "b7ad6b7169203331";
  private static final String SAGA_SPAN = "1111111111111111";
  private static final String COMMAND_SPAN = "2222222222222222";
  private static final Instant SENT = Instant.parse("2026-03-01T10:00:00Z");

  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder()
          .setIdGenerator(new ChosenIds())
          .addSpanProcessor(SimpleSpanProcessor.create(exported))
          .build();
  private final OpenTelemetryTracing tracing =
      new OpenTelemetryTracing(provider.get("io.sagastream"));

  @AfterEach
  void close() {
    provider.shutdown().join(5, TimeUnit.SECONDS);
  }

  @Test
  void aStepSpanHasTheIdItsCommandCarriedUnderTheSagaSpanWithTheMeasuredTimes() {
    // when a step's reply is reported
    tracing.stepReplied(step("failure"));

    // then its span is the command's span, a child of the saga's, from send to reply, failed
    SpanData span = single();
    assertThat(span.getTraceId()).isEqualTo(TRACE);
    assertThat(span.getSpanId()).isEqualTo(COMMAND_SPAN);
    assertThat(span.getParentSpanId()).isEqualTo(SAGA_SPAN);
    assertThat(span.getName()).isEqualTo("reserve action");
    assertThat(span.getStartEpochNanos()).isEqualTo(nanos(SENT));
    assertThat(span.getEndEpochNanos()).isEqualTo(nanos(SENT.plusMillis(1500)));
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().asMap().toString()).contains("saga.step.attempt=2");
  }

  @Test
  void aSagaStartedInATraceEndsAsAChildOfTheCallersSpan() {
    // when a saga started by a traced caller ends
    tracing.sagaEnded(saga(Optional.of(CALLER_SPAN), "COMPLETED"));

    // then its span keeps the id its events carry, under the caller's span
    SpanData span = single();
    assertThat(span.getTraceId()).isEqualTo(TRACE);
    assertThat(span.getSpanId()).isEqualTo(SAGA_SPAN);
    assertThat(span.getParentSpanId()).isEqualTo(CALLER_SPAN);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void aSagaStartedOutsideAnyTraceIsTheRootOfItsDerivedTrace() {
    // when a saga without a caller's trace ends compensated
    tracing.sagaEnded(saga(Optional.empty(), "COMPENSATED"));

    // then it is a root span with the derived trace id, marked failed
    SpanData span = single();
    assertThat(span.getTraceId()).isEqualTo(TRACE);
    assertThat(span.getSpanId()).isEqualTo(SAGA_SPAN);
    assertThat(span.getParentSpanContext().isValid()).isFalse();
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  private SpanData single() {
    List<SpanData> spans = exported.getFinishedSpanItems();
    assertThat(spans).hasSize(1);
    return spans.get(0);
  }

  private static SagaTracing.StepSpan step(String outcome) {
    return new SagaTracing.StepSpan(
        "00-" + TRACE + "-" + SAGA_SPAN + "-01",
        "00-" + TRACE + "-" + COMMAND_SPAN + "-01",
        "order:o-1:r-1",
        "order",
        "reserve",
        "action",
        2,
        "order:o-1:r-1/reserve/action/2",
        outcome,
        SENT,
        SENT.plusMillis(1500));
  }

  private static SagaTracing.SagaSpan saga(Optional<String> caller, String status) {
    return new SagaTracing.SagaSpan(
        "00-" + TRACE + "-" + SAGA_SPAN + "-01",
        caller,
        "order:o-1:r-1",
        "o-1",
        "order",
        1,
        status,
        SENT,
        SENT.plusSeconds(3));
  }

  private static long nanos(Instant instant) {
    return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
  }
}
