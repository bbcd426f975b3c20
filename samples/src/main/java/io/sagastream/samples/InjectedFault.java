package io.sagastream.samples;

/** What fault injection decided for one command. */
public enum InjectedFault {
  /** Let the participant do its work. */
  NONE,
  /** Answer {@code failure}: the step fails for good. */
  FAILURE,
  /** Answer {@code retryable-failure}: the orchestrator tries again. */
  RETRYABLE_FAILURE
}
