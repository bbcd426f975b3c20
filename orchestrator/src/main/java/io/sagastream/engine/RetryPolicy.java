package io.sagastream.engine;

import java.time.Duration;

/**
 * How often and how far apart a failed command is tried again: up to {@code maxAttempts} tries in
 * all, the delay before try n+1 being {@code initialDelay * multiplier^(n-1)}, at most {@code
 * maxDelay}, spread by up to {@code jitter} (a fraction) either way so that many sagas failing
 * together do not retry together. The spread is derived from the command id, not drawn, so a replay
 * decides the same.
 */
public record RetryPolicy(
    int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay, double jitter) {

  /** The classic engines' defaults: 10 tries, 1 s doubling to at most 1 h, jitter 0.5. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(10, Duration.ofSeconds(1), 2.0, Duration.ofHours(1), 0.5);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    if (initialDelay == null || initialDelay.isNegative()) {
      throw new IllegalArgumentException("initialDelay must not be negative: " + initialDelay);
    }
    // Negated so that NaN, which fails every comparison, is refused too.
    if (!(multiplier >= 1.0)) {
      throw new IllegalArgumentException("multiplier must be at least 1: " + multiplier);
    }
    if (maxDelay == null || maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException("maxDelay must be at least initialDelay: " + maxDelay);
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("jitter must be between 0 and 1: " + jitter);
    }
  }

  /** Whether a command that failed on try {@code tryNumber} (from 1) may be tried again. */
  public boolean allowsAnotherTry(int tryNumber) {
    return tryNumber < maxAttempts;
  }

  /**
   * The delay before try {@code nextTry} (2 or more) of the command {@code nextCommandId}, jitter
   * included, never more than {@code maxDelay}.
   */
  public Duration delayBefore(int nextTry, String nextCommandId) {
    double base = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, nextTry - 2));
    double capped = Math.min(base, maxDelay.toMillis());
    double spread = 1.0 - jitter + 2.0 * jitter * CommandIds.unitInterval(nextCommandId);
    long millis = Math.round(Math.min(capped * spread, maxDelay.toMillis()));
    return Duration.ofMillis(Math.max(0, millis));
  }
}
