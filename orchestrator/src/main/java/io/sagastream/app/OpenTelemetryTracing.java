package io.sagastream.app;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.sagastream.topology.SagaTracing;
import io.sagastream.topology.TraceContext;
import java.util.Set;

/**
 * Saga and step spans through the OpenTelemetry API. Spans are made when their end is known (a
 * reply, a terminal status) with the start time the topology measured, and with the span ids the
 * saga's commands and events already carry, so that a saga's spans, its journal events and its
 * participants' spans form one tree even when nodes changed in between.
 */
final class OpenTelemetryTracing implements SagaTracing {

  private static final Set<String> SUCCESSFUL_SAGA = Set.of("COMPLETED");

  private final Tracer tracer;

  OpenTelemetryTracing(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public void stepReplied(StepSpan step) {
    Context parent =
        remote(step.sagaTraceparent(), TraceContext.parentSpanId(step.sagaTraceparent()));
    ChosenIds.nextSpanId(TraceContext.parentSpanId(step.commandTraceparent()));
    Span span =
        tracer
            .spanBuilder(step.step() + " " + step.kind())
            .setParent(parent)
            .setSpanKind(SpanKind.CLIENT)
            .setStartTimestamp(step.sentAt())
            .setAttribute("saga.id", step.sagaId())
            .setAttribute("saga.definition", step.definition())
            .setAttribute("saga.step", step.step())
            .setAttribute("saga.step.kind", step.kind())
            .setAttribute("saga.step.attempt", step.attempt())
            .setAttribute("saga.command.id", step.commandId())
            .setAttribute("saga.step.outcome", step.outcome())
            .startSpan();
    if (!step.outcome().equals("success")) {
      span.setStatus(StatusCode.ERROR, step.outcome());
    }
    span.end(step.repliedAt());
  }

  @Override
  public void sagaEnded(SagaSpan saga) {
    Context parent =
        saga.callerSpanId()
            .map(caller -> remote(saga.sagaTraceparent(), caller))
            .orElseGet(Context::root);
    ChosenIds.nextSpanId(TraceContext.parentSpanId(saga.sagaTraceparent()));
    var builder =
        tracer
            .spanBuilder("saga " + saga.definition())
            .setSpanKind(SpanKind.INTERNAL)
            .setStartTimestamp(saga.startedAt())
            .setAttribute("saga.id", saga.sagaId())
            .setAttribute("saga.key", saga.sagaKey())
            .setAttribute("saga.definition", saga.definition())
            .setAttribute("saga.version", saga.version())
            .setAttribute("saga.status", saga.status());
    if (saga.callerSpanId().isEmpty()) {
      // A root span of the trace id derived from the saga id, not a fresh random one.
      ChosenIds.nextTraceId(TraceContext.traceId(saga.sagaTraceparent()));
      builder.setNoParent();
    } else {
      builder.setParent(parent);
    }
    Span span = builder.startSpan();
    if (!SUCCESSFUL_SAGA.contains(saga.status())) {
      span.setStatus(StatusCode.ERROR, saga.status());
    }
    span.end(saga.endedAt());
  }

  private static Context remote(String traceparent, String spanId) {
    SpanContext context =
        SpanContext.createFromRemoteParent(
            TraceContext.traceId(traceparent),
            spanId,
            TraceContext.sampled(traceparent) ? TraceFlags.getSampled() : TraceFlags.getDefault(),
            TraceState.getDefault());
    return Context.root().with(Span.wrap(context));
  }
}
