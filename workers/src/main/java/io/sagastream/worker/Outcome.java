package io.sagastream.worker;

import io.sagastream.contracts.SagaHeaders;

/** What a reply tells the orchestrator, as the {@code outcome} header spells it. */
public enum Outcome {
  /** Done; the reply's record, if any, merges into the saga data. */
  SUCCESS(SagaHeaders.OUTCOME_SUCCESS),
  /** Failed for good: the orchestrator does not retry and compensates the steps before. */
  FAILURE(SagaHeaders.OUTCOME_FAILURE),
  /** Failed for now: the orchestrator retries with backoff, as a new attempt with a new id. */
  RETRYABLE_FAILURE(SagaHeaders.OUTCOME_RETRYABLE_FAILURE);

  private final String headerValue;

  Outcome(String headerValue) {
    this.headerValue = headerValue;
  }

  /** The value of the {@code outcome} header. */
  public String headerValue() {
    return headerValue;
  }
}
