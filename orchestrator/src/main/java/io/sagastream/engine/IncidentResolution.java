package io.sagastream.engine;

/** How an operator resolves an incident. */
public enum IncidentResolution {
  /** Send the failed compensation again, with a fresh set of tries. */
  RETRY,
  /** Treat the failed compensation as done and go on with the next. */
  SKIP
}
