package io.sagastream.topology;

/**
 * Keys of the instance store: the saga key, then the definition name. A key can hold one open
 * instance per definition, and a prefix scan finds all of a key's instances.
 */
public final class InstanceKeys {

  private static final char SEPARATOR = '\u0000';

  private InstanceKeys() {}

  public static String key(String sagaKey, String definitionName) {
    return prefix(sagaKey) + definitionName;
  }

  public static String prefix(String sagaKey) {
    return sagaKey + SEPARATOR;
  }
}
