package io.sagastream.topology;

/**
 * Keys of the definitions topic and store: name and version, the version zero-padded so that a
 * definition's versions sort in order and the last under its prefix is the latest. Keyed this way,
 * the compacted topic keeps every version that instances may still run on.
 */
public final class DefinitionKeys {

  private DefinitionKeys() {}

  public static String key(String name, int version) {
    return prefix(name) + zeroPadded(version, 10);
  }

  /** Every version of {@code name} starts with this. */
  public static String prefix(String name) {
    return name + "@";
  }

  /**
   * {@code value} (not negative) in {@code width} digits with leading zeros, as {@code
   * String.format("%0<width>d")} writes it, without the formatter's cost on every record.
   */
  static String zeroPadded(long value, int width) {
    String digits = Long.toString(value);
    if (digits.length() >= width) {
      return digits;
    }
    return "0".repeat(width - digits.length()) + digits;
  }

  public static int version(String key) {
    return Integer.parseInt(key.substring(key.lastIndexOf('@') + 1));
  }
}
