package io.sagastream.engine;

/** A command to send again when its backoff timer fires. */
public record PendingRetry(
    int stepIndex, CommandKind kind, int attempt, int tryNumber, String commandId) {}
