package io.sagastream.app;

import io.opentelemetry.sdk.trace.IdGenerator;

/**
 * Ids the orchestrator chooses for its spans: a step span's id is the one its command's {@code
 * traceparent} already carried to the participant, a saga span's the one its journal events carry,
 * and a saga started outside any trace keeps the trace id derived from its saga id. The
 * OpenTelemetry API has no way to pass ids, so they are handed to the SDK's id generator on the
 * thread that builds the span, right before it starts it.
 */
final class ChosenIds implements IdGenerator {

  private static final ThreadLocal<String> NEXT_SPAN_ID = new ThreadLocal<>();
  private static final ThreadLocal<String> NEXT_TRACE_ID = new ThreadLocal<>();
  private final IdGenerator random = IdGenerator.random();

  /** The next span started on this thread gets {@code spanId}. */
  static void nextSpanId(String spanId) {
    NEXT_SPAN_ID.set(spanId);
  }

  /** The next root span started on this thread gets {@code traceId}. */
  static void nextTraceId(String traceId) {
    NEXT_TRACE_ID.set(traceId);
  }

  @Override
  public String generateSpanId() {
    return take(NEXT_SPAN_ID, random::generateSpanId);
  }

  @Override
  public String generateTraceId() {
    return take(NEXT_TRACE_ID, random::generateTraceId);
  }

  private static String take(ThreadLocal<String> chosen, java.util.function.Supplier<String> or) {
    String id = chosen.get();
    if (id == null) {
      return or.get();
    }
    chosen.remove();
    return id;
  }
}
