package io.sagastream.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What this node knows of one peer, and whether it is due to be taken over. Times are {@link
 * System#nanoTime()} readings handed in, so that the rules can be checked without waiting.
 */
final class PeerState {

  private static final Duration LONGEST_RETRY = Duration.ofSeconds(5);

  /**
   * How long a departure holds while the peer keeps answering: longer than any shutdown takes, so
   * that a departure announced for a node that never left (anyone may announce one when no node
   * token is set) does not keep it from being taken over for good.
   */
  static final Duration DEPARTURE_HOLD = Duration.ofMinutes(5);

  private volatile JsonNode identity;
  private volatile long lastSeenNanos;
  private volatile boolean removed;
  private volatile boolean refusing;
  private volatile boolean departed;
  private volatile boolean awaySinceDeparture;
  private volatile long departedAtNanos;
  private volatile long askedAtNanos;
  private volatile boolean failedSinceAnswer;
  private volatile int failedTakeovers;
  private volatile long retryAtNanos;
  private final AtomicBoolean asking = new AtomicBoolean();

  /**
   * Whether a question may go out now: not while the last one is unanswered, so that a slow peer is
   * not sent one more question each check until the first times out.
   */
  boolean startAsking(long nowNanos) {
    if (!asking.compareAndSet(false, true)) {
      return false;
    }
    askedAtNanos = nowNanos;
    return true;
  }

  void askingDone() {
    asking.set(false);
  }

  /** Who the peer said it was at its last answer; null before its first. */
  JsonNode identity() {
    return identity;
  }

  /** The last question was refused rather than left unanswered. */
  boolean refusing() {
    return refusing;
  }

  /** An attempt to take the peer over failed, and this is another. */
  boolean retrying() {
    return failedTakeovers > 0;
  }

  void answered(JsonNode identity, long nowNanos) {
    this.identity = identity;
    lastSeenNanos = nowNanos;
    removed = false;
    refusing = false;
    failedTakeovers = 0;
    failedSinceAnswer = false;
    if (departed && (awaySinceDeparture || nowNanos - departedAtNanos > DEPARTURE_HOLD.toNanos())) {
      departed = false;
    }
  }

  /** The question that went out last failed: refused, or left unanswered. */
  void unanswered(boolean refused) {
    refusing = refused;
    if (askedAtNanos - lastSeenNanos >= 0) {
      failedSinceAnswer = true;
    }
  }

  /**
   * This node was not looking until {@code nowNanos} (a pause of its own, a slow takeover of
   * another peer): silence it did not ask about is not counted.
   */
  void notWatchedUntil(long nowNanos) {
    if (identity != null && nowNanos - lastSeenNanos > 0) {
      lastSeenNanos = nowNanos;
      failedSinceAnswer = false;
    }
  }

  /** It said it shuts down to come back: it is not taken over until it has been away and back. */
  void departing(long nowNanos) {
    departed = true;
    awaySinceDeparture = false;
    departedAtNanos = nowNanos;
  }

  /**
   * Silent past {@code lease}, not taken over yet, and not waiting out a failed attempt. Only a
   * peer that answered before can be silent: one still starting has not answered yet. Silent means
   * a question sent since its last answer failed, not only that no answer came: a question this
   * node never sent (it was paused) cannot have gone unanswered.
   */
  boolean dueForTakeover(long nowNanos, Duration lease) {
    boolean silent =
        identity != null && failedSinceAnswer && nowNanos - lastSeenNanos > lease.toNanos();
    if (silent && departed) {
      awaySinceDeparture = true;
      return false;
    }
    return silent && !removed && (failedTakeovers == 0 || nowNanos - retryAtNanos >= 0);
  }

  void takenOver() {
    removed = true;
    failedTakeovers = 0;
  }

  /**
   * An attempt failed (the coordinator moving, a member id it did not know): try again after the
   * check interval, doubling up to 5 s, rather than leave the peer's partitions to the session
   * timeout.
   */
  void takeoverFailed(long nowNanos, Duration checkInterval) {
    int failures = failedTakeovers + 1;
    Duration wait = checkInterval.multipliedBy(1L << Math.min(failures - 1, 10));
    retryAtNanos = nowNanos + (wait.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : wait).toNanos();
    failedTakeovers = failures;
  }
}
