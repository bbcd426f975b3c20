package io.sagastream.topology;

import io.sagastream.engine.SagaInstance;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * W3C trace context of a saga. A saga started with a {@code traceparent} joins that trace: its span
 * hangs under the caller's. Without one, the trace id is derived from the saga id. Each command's
 * span id is derived from its command id, so a replay derives the same values and a participant's
 * spans hang under the step span the orchestrator exports for that command.
 */
public final class TraceContext {

  private static final Pattern TRACEPARENT =
      Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
  private static final String INVALID_TRACE_ID = "0".repeat(32);
  private static final String INVALID_SPAN_ID = "0".repeat(16);
  // Looking a digest up by name costs more than digesting a saga id: each thread keeps its own.
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(TraceContext::newDigest);

  private TraceContext() {}

  /** The header when it is a valid version-00 traceparent; empty for anything else. */
  public static Optional<String> valid(String header) {
    if (header == null) {
      return Optional.empty();
    }
    String text = header.trim().toLowerCase(java.util.Locale.ROOT);
    var match = TRACEPARENT.matcher(text);
    if (!match.matches()
        || match.group(1).equals(INVALID_TRACE_ID)
        || match.group(2).equals(INVALID_SPAN_ID)) {
      return Optional.empty();
    }
    return Optional.of(text);
  }

  /** The trace context of the saga's own span: for its journal events. */
  public static String ofSaga(SagaInstance instance) {
    Optional<String> caller = valid(instance.traceParent());
    if (caller.isPresent()) {
      return of(caller, instance, spanId(instance.sagaId()));
    }
    // Without a caller, the saga's trace id and span id come from the same digest of its id.
    byte[] digest = digest(instance.sagaId());
    HexFormat hex = HexFormat.of();
    return "00-" + hex.formatHex(digest, 0, 16) + "-" + hex.formatHex(digest, 0, 8) + "-01";
  }

  /** The trace context of one command: the saga's trace, the command's own span. */
  public static String ofCommand(SagaInstance instance, String commandId) {
    return of(instance, spanId(commandId));
  }

  /** The span the saga was started in, when it was started in a trace. */
  public static Optional<String> callerSpanId(SagaInstance instance) {
    return valid(instance.traceParent()).map(TraceContext::parentSpanId);
  }

  private static String of(SagaInstance instance, String spanId) {
    return of(valid(instance.traceParent()), instance, spanId);
  }

  private static String of(Optional<String> caller, SagaInstance instance, String spanId) {
    String traceId = caller.map(TraceContext::traceId).orElseGet(() -> derivedTraceId(instance));
    String flags = caller.map(TraceContext::flags).orElse("01");
    return "00-" + traceId + "-" + spanId + "-" + flags;
  }

  public static String traceId(String traceparent) {
    return traceparent.substring(3, 35);
  }

  public static String parentSpanId(String traceparent) {
    return traceparent.substring(36, 52);
  }

  /** True when the trace's sampled flag is set. */
  public static boolean sampled(String traceparent) {
    return (Integer.parseInt(flags(traceparent), 16) & 1) == 1;
  }

  private static String flags(String traceparent) {
    return traceparent.substring(53, 55);
  }

  private static String derivedTraceId(SagaInstance instance) {
    return HexFormat.of().formatHex(digest(instance.sagaId()), 0, 16);
  }

  private static String spanId(String id) {
    return HexFormat.of().formatHex(digest(id), 0, 8);
  }

  private static byte[] digest(String text) {
    return SHA_256.get().digest(text.getBytes(StandardCharsets.UTF_8));
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
