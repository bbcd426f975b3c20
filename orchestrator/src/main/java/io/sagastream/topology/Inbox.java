package io.sagastream.topology;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagastream.engine.Timer;
import io.sagastream.engine.TimerKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Messages that came before anything waited for them, kept per key and message name in sequence
 * order (or arrival order without a sequence), each until its time-to-live ends; and the message
 * ids seen, so that a message sent twice is delivered once. Expiry is a timer in the timer store
 * under an empty definition name: the inbox's, not an instance's.
 *
 * <p>Kept messages are written in a small binary layout, or as JSON (what the first builds wrote)
 * when the node writes instances as JSON for a rolling upgrade; both are read.
 */
final class Inbox {

  /** A buffered message: its id, when it expires, and its original bytes. */
  record Envelope(String messageId, long expiresAtMillis, byte[] value) {

    Instant expiresAt() {
      return Instant.ofEpochMilli(expiresAtMillis);
    }
  }

  static final String NO_DEFINITION = "";
  private static final ObjectMapper JSON = new ObjectMapper();
  // JSON begins with '{', so one leading byte tells the layouts apart.
  private static final byte BINARY = 2;
  private static final int NO_ID = -1;

  private final KeyValueStore<String, byte[]> store;
  private final TimerSchedule timers;
  private final boolean writeJson;

  Inbox(KeyValueStore<String, byte[]> store, TimerSchedule timers, boolean writeJson) {
    this.store = store;
    this.timers = timers;
    this.writeJson = writeJson;
  }

  /** Whether {@code messageId} was seen on {@code key} within its time-to-live. */
  boolean seen(String key, String messageId) {
    return store.get(seenKey(key, messageId)) != null;
  }

  void markSeen(String key, String messageId, Instant until) {
    String seenKey = seenKey(key, messageId);
    store.put(seenKey, new byte[] {1});
    timers.put(timerKey(key, seenKey, until));
  }

  /**
   * Keeps a message for whoever waits for {@code name} on {@code key} next; returns its inbox key.
   * Messages are taken in {@code order}; where two share it (two ids sent with one sequence
   * number), the record they came in ({@code source}, {@code offset}) keeps them apart, since one
   * must not replace the other. Entries kept before 2026-11-25 end at the order.
   */
  String keep(String key, String name, long order, String source, long offset, Envelope envelope) {
    String entry =
        messagePrefix(key, name)
            + DefinitionKeys.zeroPadded(order, 19)
            + "\u0000"
            + source
            + DefinitionKeys.zeroPadded(offset, 19);
    store.put(entry, writeJson ? encodeJson(envelope) : encode(envelope));
    timers.put(timerKey(key, entry, envelope.expiresAt()));
    return entry;
  }

  /** Takes the first message kept for {@code name} on {@code key}, in sequence or arrival order. */
  Optional<Envelope> takeFirst(String key, String name) {
    KeyValue<String, byte[]> first = null;
    try (KeyValueIterator<String, byte[]> kept =
        store.prefixScan(messagePrefix(key, name), new StringSerializer())) {
      if (kept.hasNext()) {
        first = kept.next();
      }
    }
    if (first == null) {
      return Optional.empty();
    }
    Envelope envelope = decode(first.value);
    StoreDeletes.deleteUnread(store, first.key);
    timers.delete(timerKey(key, first.key, envelope.expiresAt()));
    return Optional.of(envelope);
  }

  /**
   * Drops the entry an expiry timer names; returns the expired message, or empty when it was a
   * seen-id marker or is gone already.
   */
  Optional<Envelope> expire(String entry) {
    byte[] value = store.get(entry);
    if (value == null) {
      return Optional.empty();
    }
    StoreDeletes.deleteUnread(store, entry);
    return entry.startsWith("m") ? Optional.of(decode(value)) : Optional.empty();
  }

  /** A count of the messages waiting in the inbox (ids seen not counted), for the census. */
  SlicedCount<String> keptCount() {
    // Kept messages' keys, and only theirs, lie from "m\0" up to "m\1".
    return new SlicedCount<>(store::range, "m\u0000", "m\u0001", key -> true);
  }

  /** The message name of an inbox message key. */
  static String messageName(String entry) {
    String[] parts = entry.split("\u0000");
    return parts[2];
  }

  private static Bytes timerKey(String key, String entry, Instant at) {
    return Bytes.wrap(
        TimerKeys.key(key, NO_DEFINITION, new Timer(TimerKind.MESSAGE_EXPIRY, at, entry)));
  }

  private static String messagePrefix(String key, String name) {
    return "m\u0000" + key + "\u0000" + name + "\u0000";
  }

  private static String seenKey(String key, String messageId) {
    return "s\u0000" + key + "\u0000" + messageId;
  }

  static byte[] encode(Envelope envelope) {
    byte[] id =
        envelope.messageId() == null
            ? new byte[0]
            : envelope.messageId().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + 4 + id.length + 8 + envelope.value().length)
        .put(BINARY)
        .putInt(envelope.messageId() == null ? NO_ID : id.length)
        .put(id)
        .putLong(envelope.expiresAtMillis())
        .put(envelope.value())
        .array();
  }

  static byte[] encodeJson(Envelope envelope) {
    try {
      return JSON.writeValueAsBytes(envelope);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Envelope decode(byte[] bytes) {
    if (bytes.length > 0 && bytes[0] == BINARY) {
      return decodeBinary(ByteBuffer.wrap(bytes, 1, bytes.length - 1));
    }
    try {
      return JSON.readValue(bytes, Envelope.class);
    } catch (IOException e) {
      throw new UncheckedIOException("Unreadable inbox entry", e);
    }
  }

  private static Envelope decodeBinary(ByteBuffer in) {
    try {
      int idLength = in.getInt();
      String messageId = null;
      if (idLength != NO_ID) {
        byte[] id = new byte[idLength];
        in.get(id);
        messageId = new String(id, StandardCharsets.UTF_8);
      }
      long expiresAt = in.getLong();
      byte[] value = new byte[in.remaining()];
      in.get(value);
      return new Envelope(messageId, expiresAt, value);
    } catch (BufferUnderflowException | NegativeArraySizeException e) {
      throw new IllegalArgumentException("Unreadable inbox entry: shorter than its lengths", e);
    }
  }
}
