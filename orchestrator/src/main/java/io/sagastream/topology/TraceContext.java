package io.sagastream.topology;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * W3C trace context for commands, derived from the saga and command ids: every command of a saga
 * shares one trace id, each has its own span id, and a replay derives the same values.
 */
final class TraceContext {

  private TraceContext() {}

  static String traceparent(String sagaId, String commandId) {
    String traceId = HexFormat.of().formatHex(digest(sagaId), 0, 16);
    String spanId = HexFormat.of().formatHex(digest(commandId), 0, 8);
    return "00-" + traceId + "-" + spanId + "-01";
  }

  private static byte[] digest(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
