package io.sagastream.engine;

import java.time.Instant;

/**
 * The command an instance has sent and waits for a reply to.
 *
 * @param stepIndex the step, by position in the definition
 * @param attempt numbers every attempt of this step and kind, across incident retries; part of the
 *     id
 * @param tryNumber counts tries since the last fresh start (a new step, or an incident retried),
 *     for the retry policy
 */
public record AwaitedCommand(
    int stepIndex,
    CommandKind kind,
    int attempt,
    int tryNumber,
    String commandId,
    Instant deadline) {}
