package io.sagastream.engine;

import java.time.Instant;

/**
 * Why an instance cannot move without an operator: the compensation of {@code stepIndex} kept
 * failing. Retrying sends it again with a fresh set of tries; skipping treats it as done.
 */
public record Incident(
    int stepIndex,
    String step,
    CommandKind kind,
    int attempts,
    String errorCode,
    String errorMessage,
    Instant raisedAt) {}
