package io.sagastream.bench;

import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Measured values (milliseconds, say), with their nearest-rank percentiles. Not thread-safe: the
 * caller guards it.
 */
final class Samples {

  private long[] values = new long[1024];
  private int size;

  void add(long value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  long get(int index) {
    return values[index];
  }

  int size() {
    return size;
  }

  /**
   * The value below or at which {@code share} (0 to 1) of the samples lie, by nearest rank: the
   * smallest sample such that at least {@code share} of all are not greater. Empty without samples.
   */
  OptionalLong percentile(double share) {
    if (share < 0 || share > 1) {
      throw new IllegalArgumentException("share must be from 0 to 1, not " + share);
    }
    if (size == 0) {
      return OptionalLong.empty();
    }
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(share * size);
    return OptionalLong.of(sorted[Math.max(1, rank) - 1]);
  }

  OptionalLong max() {
    return size == 0
        ? OptionalLong.empty()
        : OptionalLong.of(Arrays.stream(values, 0, size).max().getAsLong());
  }

  /**
   * The samples whose time (the sample at the same index of {@code times}, epoch millis) lies in
   * [from, to).
   */
  Samples at(Samples times, long from, long to) {
    Samples chosen = new Samples();
    for (int i = 0; i < times.size(); i++) {
      long t = times.get(i);
      if (t >= from && t < to) {
        chosen.add(values[i]);
      }
    }
    return chosen;
  }
}
