package io.sagastream.topology;

/**
 * Keys of the instance store: the saga key, then the definition name. A key can hold one open
 * instance per definition, and a prefix scan finds all of a key's instances.
 */
public final class InstanceKeys {

  private static final char SEPARATOR = '\u0000';

  /**
   * The most characters a saga key, message name or message id may have: keys are kept in stores (a
   * saga key twice in its instance), and an input that makes a record larger than the changelog
   * takes would fail its task over and over.
   */
  public static final int LONGEST_PART = 1000;

  private InstanceKeys() {}

  public static String key(String sagaKey, String definitionName) {
    return prefix(sagaKey) + definitionName;
  }

  public static String prefix(String sagaKey) {
    return sagaKey + SEPARATOR;
  }

  /** The saga key of a store key. */
  public static String sagaKeyOf(String storeKey) {
    return storeKey.substring(0, storeKey.lastIndexOf(SEPARATOR));
  }

  /** The definition name of a store key. */
  public static String definitionOf(String storeKey) {
    return storeKey.substring(storeKey.lastIndexOf(SEPARATOR) + 1);
  }

  /**
   * Whether {@code text} can be part of a store key: it holds no control character, so not the NUL
   * that separates a key's parts, which would let one key read another's entries.
   */
  public static boolean fitsStoreKey(String text) {
    return text.chars().noneMatch(Character::isISOControl);
  }
}
