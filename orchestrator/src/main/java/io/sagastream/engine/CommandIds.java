package io.sagastream.engine;

/** Ids derived from what they name, so that a replayed decision yields the same ids. */
public final class CommandIds {

  private CommandIds() {}

  /**
   * The id of one attempt of one command: a redelivery of that attempt carries it again, a retry
   * gets a new one. So participants keep their effects by saga id and step, not by this id, or a
   * retry after a late success would act twice.
   */
  public static String commandId(String sagaId, String step, CommandKind kind, int attempt) {
    return sagaId
        + "/"
        + step
        + "/"
        + (kind == CommandKind.ACTION ? "action" : "compensation")
        + "/"
        + attempt;
  }

  /**
   * A number in [0, 1) spread evenly over ids: the 64-bit FNV-1a hash of the id's UTF-16 code
   * units, its top 53 bits as a fraction.
   */
  static double unitInterval(String id) {
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < id.length(); i++) {
      hash ^= id.charAt(i);
      hash *= 0x100000001b3L;
    }
    return (hash >>> 11) * 0x1.0p-53;
  }
}
