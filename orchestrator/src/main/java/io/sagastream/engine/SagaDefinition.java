package io.sagastream.engine;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One deployed version of a saga: its ordered steps and optional overall deadline. Immutable; a new
 * deploy is a new version, and an instance stays on the version it started with.
 */
public record SagaDefinition(
    String name, int version, Optional<Duration> deadline, List<StepDefinition> steps) {

  public SagaDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(deadline, "deadline");
    steps = List.copyOf(steps);
    if (version < 1) {
      throw new IllegalArgumentException("version must be at least 1: " + version);
    }
    Set<String> names = new HashSet<>();
    for (StepDefinition step : steps) {
      if (!names.add(step.name())) {
        throw new IllegalArgumentException("step name " + step.name() + " is used twice");
      }
    }
  }

  public StepDefinition step(int index) {
    return steps.get(index);
  }
}
