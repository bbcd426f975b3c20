package io.sagastream.definition;

import io.sagastream.engine.RetryPolicy;
import java.time.Duration;
import java.util.Optional;

/** A step as declared in a definition document or built in Java. */
public record StepSpec(
    String name,
    CommandSpec action,
    Optional<CommandSpec> compensation,
    Duration timeout,
    RetryPolicy retry,
    RetryPolicy compensationRetry) {}
