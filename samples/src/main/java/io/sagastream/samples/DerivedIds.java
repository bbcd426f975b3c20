package io.sagastream.samples;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Ids the sample participants hand out, derived from what they are for, so that a redelivered
 * command is answered with the same id and a run can be repeated.
 */
public final class DerivedIds {

  private DerivedIds() {}

  /** {@code prefix} and twelve hex digits derived from {@code seed}, e.g. {@code res-3f2a...}. */
  public static String of(String prefix, String seed) {
    String hex =
        UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    return prefix + "-" + hex.substring(0, 12);
  }
}
