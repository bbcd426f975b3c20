package io.sagastream.registry.serde;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * The Confluent wire format: magic byte 0, the writer schema's registry id as a 4-byte big-endian
 * int, then the Avro binary encoding of the value.
 */
public final class ConfluentWireFormat {

  public static final byte MAGIC_BYTE = 0;
  public static final int HEADER_LENGTH = 5;

  private ConfluentWireFormat() {}

  /** A framed value split into its schema id and its Avro body. */
  public record Framed(int schemaId, ByteBuffer body) {}

  /** Prepends the header to an Avro body. */
  public static byte[] frame(int schemaId, byte[] avroBody) {
    return ByteBuffer.allocate(HEADER_LENGTH + avroBody.length)
        .put(MAGIC_BYTE)
        .putInt(schemaId)
        .put(avroBody)
        .array();
  }

  /** Writes the header, for the Avro body to follow in the same stream. */
  public static void writeHeader(ByteArrayOutputStream out, int schemaId) {
    out.write(MAGIC_BYTE);
    out.write(schemaId >>> 24);
    out.write(schemaId >>> 16);
    out.write(schemaId >>> 8);
    out.write(schemaId);
  }

  /**
   * Reads the header of {@code bytes}.
   *
   * @throws UnreadableRecordException if the bytes are empty, shorter than the header, or do not
   *     start with the magic byte
   */
  public static Framed unframe(String topic, byte[] bytes) {
    if (bytes.length == 0) {
      throw new UnreadableRecordException(
          UnreadableRecordException.Reason.EMPTY, topic, -1, "zero bytes", null);
    }
    if (bytes[0] != MAGIC_BYTE) {
      throw new UnreadableRecordException(
          UnreadableRecordException.Reason.UNKNOWN_MAGIC_BYTE,
          topic,
          -1,
          String.format("first byte is 0x%02x, expected 0x00", bytes[0]),
          null);
    }
    if (bytes.length < HEADER_LENGTH) {
      throw new UnreadableRecordException(
          UnreadableRecordException.Reason.TRUNCATED_HEADER,
          topic,
          -1,
          bytes.length + " bytes, the header alone takes " + HEADER_LENGTH,
          null);
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    buffer.get();
    int schemaId = buffer.getInt();
    return new Framed(schemaId, buffer.slice());
  }
}
