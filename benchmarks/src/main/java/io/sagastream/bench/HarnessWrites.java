package io.sagastream.bench;

/**
 * What the harness writes per round trip beside the command: records to an events topic (as the
 * journal's events) and state stores written (each a changelog record). The minimum of a step is
 * none and one; a step of the demo saga writes about 5 journal events and 7 changelog records, and
 * the harness run with those shows how much of the gap is the record count alone.
 */
record HarnessWrites(int events, int stores) {

  static final HarnessWrites MINIMUM = new HarnessWrites(0, 1);

  HarnessWrites {
    if (events < 0 || stores < 1) {
      throw new IllegalArgumentException(
          "--harness-writes wants events ≥ 0 and stores ≥ 1, not " + events + "," + stores);
    }
  }

  /** {@code E,S}, as the command line gives it. */
  static HarnessWrites parse(String text) {
    String[] parts = text.split(",");
    try {
      if (parts.length == 2) {
        return new HarnessWrites(
            Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "--harness-writes wants EVENTS,STORES such as 5,4, not " + text);
  }

  boolean minimum() {
    return equals(MINIMUM);
  }

  /** For the report: what a round trip writes. */
  String text() {
    return String.format(
        java.util.Locale.ROOT,
        "the command, %d event record(s) and %d state store write(s) per round trip",
        events,
        stores);
  }
}
