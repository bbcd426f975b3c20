package io.sagastream.engine;

/** What a participant said about a command. */
public enum ReplyOutcome {
  SUCCESS,
  /** Failed for good: do not retry. */
  FAILURE,
  /** Failed for now: retry after a backoff. */
  RETRYABLE_FAILURE
}
