package io.sagastream.topology;

/**
 * Keys of the definitions topic and store: name and version, the version zero-padded so that a
 * definition's versions sort in order and the last under its prefix is the latest. Keyed this way,
 * the compacted topic keeps every version that instances may still run on.
 */
public final class DefinitionKeys {

  private DefinitionKeys() {}

  public static String key(String name, int version) {
    return prefix(name) + String.format("%010d", version);
  }

  /** Every version of {@code name} starts with this. */
  public static String prefix(String name) {
    return name + "@";
  }

  public static int version(String key) {
    return Integer.parseInt(key.substring(key.lastIndexOf('@') + 1));
  }
}
