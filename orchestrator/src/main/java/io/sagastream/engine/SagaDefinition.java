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
    Set<String> closedGroups = new HashSet<>();
    Optional<String> previousGroup = Optional.empty();
    for (StepDefinition step : steps) {
      if (!names.add(step.name())) {
        throw new IllegalArgumentException("step name " + step.name() + " is used twice");
      }
      if (!step.parallelGroup().equals(previousGroup)) {
        previousGroup.ifPresent(closedGroups::add);
        if (step.parallelGroup().isPresent() && closedGroups.contains(step.parallelGroup().get())) {
          throw new IllegalArgumentException(
              "the branches of parallel step "
                  + step.parallelGroup().get()
                  + " must stand together");
        }
        previousGroup = step.parallelGroup();
      }
    }
  }

  public StepDefinition step(int index) {
    return steps.get(index);
  }

  /**
   * The steps that run together with step {@code index}: the branches of its parallel step, or the
   * step alone.
   */
  public List<Integer> stepsRunningWith(int index) {
    Optional<String> group = steps.get(index).parallelGroup();
    if (group.isEmpty()) {
      return List.of(index);
    }
    List<Integer> together = new java.util.ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).parallelGroup().equals(group)) {
        together.add(i);
      }
    }
    return together;
  }
}
