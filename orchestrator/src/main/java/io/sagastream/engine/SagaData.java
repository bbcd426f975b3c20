package io.sagastream.engine;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The saga data as the engine sees it: opaque bytes. Building commands from it and merging replies
 * into it are the codec's work (Avro schema resolution); the engine only decides when a merged copy
 * replaces the current one.
 */
public final class SagaData {

  private static final SagaData EMPTY = new SagaData(new byte[0]);

  private final byte[] bytes;

  private SagaData(byte[] bytes) {
    this.bytes = bytes;
  }

  public static SagaData of(byte[] bytes) {
    return new SagaData(bytes.clone());
  }

  public static SagaData empty() {
    return EMPTY;
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public int size() {
    return bytes.length;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SagaData that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    String hex = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 16));
    return "SagaData[" + bytes.length + " bytes: " + hex + (bytes.length > 16 ? "…" : "") + "]";
  }
}
