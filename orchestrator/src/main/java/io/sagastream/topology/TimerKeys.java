package io.sagastream.topology;

import io.sagastream.engine.Timer;
import io.sagastream.engine.TimerKind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Keys of the timer store. A key starts with the due time as 8 big-endian bytes, so the store's
 * byte order is due-time order and a range scan up to {@link #dueBy} yields exactly the timers that
 * are due; the rest says whose timer it is (saga key and definition, as the instance store keys
 * instances) and which.
 */
public final class TimerKeys {

  /** A timer with the instance it belongs to. */
  public record ScheduledTimer(String sagaKey, String definitionName, Timer timer) {}

  private TimerKeys() {}

  public static byte[] key(String sagaKey, String definitionName, Timer timer) {
    byte[] saga = sagaKey.getBytes(StandardCharsets.UTF_8);
    byte[] definition = definitionName.getBytes(StandardCharsets.UTF_8);
    byte[] reference = timer.reference().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + 1 + 4 + saga.length + 4 + definition.length + reference.length)
        .putLong(timer.dueAt().toEpochMilli())
        .put((byte) timer.kind().ordinal())
        .putInt(saga.length)
        .put(saga)
        .putInt(definition.length)
        .put(definition)
        .put(reference)
        .array();
  }

  public static ScheduledTimer read(byte[] key) {
    ByteBuffer buffer = ByteBuffer.wrap(key);
    Instant dueAt = Instant.ofEpochMilli(buffer.getLong());
    TimerKind kind = TimerKind.values()[buffer.get()];
    String sagaKey = string(buffer, buffer.getInt());
    String definition = string(buffer, buffer.getInt());
    String reference = string(buffer, buffer.remaining());
    return new ScheduledTimer(sagaKey, definition, new Timer(kind, dueAt, reference));
  }

  /** The lower bound of a scan for the timers due at or after {@code millis}. */
  public static byte[] dueFrom(long millis) {
    return ByteBuffer.allocate(8).putLong(millis).array();
  }

  /**
   * The upper bound of a scan for the timers due at or before {@code now}: every such key sorts
   * below it, every later one above.
   */
  public static byte[] dueBy(Instant now) {
    return ByteBuffer.allocate(8).putLong(now.toEpochMilli() + 1).array();
  }

  private static String string(ByteBuffer buffer, int length) {
    byte[] bytes = new byte[length];
    buffer.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
