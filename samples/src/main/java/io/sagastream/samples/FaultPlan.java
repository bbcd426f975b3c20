package io.sagastream.samples;

import java.time.Duration;
import java.util.Objects;

/**
 * The faults a sample participant injects: a share of its actions fails for good, a share of its
 * commands fails for now, each command takes {@code latency}, and the participant can be down for a
 * while, starting {@code downAfter} after it starts.
 *
 * <p>Compensations never fail for good, only for now: a sample undo has nothing that could refuse
 * it, and a compensation that fails for good is an incident for an operator, not a demo outcome.
 *
 * @param failureRate share of actions answered {@code failure}, from 0 to 1
 * @param retryableFailureRate share of commands answered {@code retryable-failure}, from 0 to 1
 * @param latency how long each command takes before it is answered
 * @param downAfter when the outage starts, counted from the participant's start
 * @param downFor how long the participant is down (zero: no outage)
 */
public record FaultPlan(
    double failureRate,
    double retryableFailureRate,
    Duration latency,
    Duration downAfter,
    Duration downFor) {

  /** A participant that answers every command at once and never goes down. */
  public static final FaultPlan NONE =
      new FaultPlan(0, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO);

  public FaultPlan {
    requireRate(failureRate, "failureRate");
    requireRate(retryableFailureRate, "retryableFailureRate");
    if (failureRate + retryableFailureRate > 1.0) {
      throw new IllegalArgumentException(
          "failureRate and retryableFailureRate add up to more than 1: "
              + failureRate
              + " + "
              + retryableFailureRate);
    }
    requireNotNegative(latency, "latency");
    requireNotNegative(downAfter, "downAfter");
    requireNotNegative(downFor, "downFor");
  }

  /** Only failures, in these shares. */
  public static FaultPlan failing(double failureRate, double retryableFailureRate) {
    return NONE.withFailureRate(failureRate).withRetryableFailureRate(retryableFailureRate);
  }

  public FaultPlan withFailureRate(double rate) {
    return new FaultPlan(rate, retryableFailureRate, latency, downAfter, downFor);
  }

  public FaultPlan withRetryableFailureRate(double rate) {
    return new FaultPlan(failureRate, rate, latency, downAfter, downFor);
  }

  public FaultPlan withLatency(Duration latency) {
    return new FaultPlan(failureRate, retryableFailureRate, latency, downAfter, downFor);
  }

  public FaultPlan withOutage(Duration after, Duration length) {
    return new FaultPlan(failureRate, retryableFailureRate, latency, after, length);
  }

  /** Whether the plan takes the participant down at some point. */
  public boolean hasOutage() {
    return !downFor.isZero();
  }

  private static void requireRate(double rate, String name) {
    if (!(rate >= 0.0 && rate <= 1.0)) {
      throw new IllegalArgumentException(name + " must be from 0 to 1, not " + rate);
    }
  }

  private static void requireNotNegative(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, not " + duration);
    }
  }
}
