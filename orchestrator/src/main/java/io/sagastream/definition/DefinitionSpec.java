package io.sagastream.definition;

import io.sagastream.engine.RetryPolicy;
import io.sagastream.engine.SagaDefinition;
import io.sagastream.engine.StepDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A saga definition as declared, before deployment gives it a version: from a JSON or YAML document
 * ({@link DefinitionDocuments}) or built in Java ({@link #builder}); both produce the same model.
 */
public record DefinitionSpec(
    String name, SchemaSource data, Optional<Duration> deadline, List<StepSpec> steps) {

  public DefinitionSpec {
    steps = List.copyOf(steps);
  }

  /** The engine's view of this definition, as version {@code version}. */
  public SagaDefinition toEngineDefinition(int version) {
    List<StepDefinition> engineSteps = new ArrayList<>();
    for (StepSpec step : steps) {
      if (step.receive().isPresent()) {
        engineSteps.add(StepDefinition.receiving(step.name(), step.receive().get().toEngine()));
        continue;
      }
      if (step.isParallel()) {
        for (StepSpec branch : step.branches()) {
          engineSteps.add(engineAction(branch).inParallel(step.name()));
        }
        continue;
      }
      engineSteps.add(engineAction(step));
    }
    return new SagaDefinition(name, version, deadline, engineSteps);
  }

  private static StepDefinition engineAction(StepSpec step) {
    return new StepDefinition(
        step.name(),
        step.action().topic(),
        step.compensation().map(CommandSpec::topic),
        step.timeout(),
        step.retry(),
        step.compensationRetry());
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds a definition in Java, with the same defaults and checks as a document. */
  public static final class Builder {
    private final String name;
    private SchemaSource data;
    private Duration deadline;
    private final List<StepSpec> steps = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    public Builder data(SchemaSource source) {
      this.data = source;
      return this;
    }

    public Builder deadline(Duration duration) {
      this.deadline = duration;
      return this;
    }

    public Builder step(String stepName, CommandSpec action) {
      return step(stepName, action, null, null, null, null);
    }

    public Builder step(String stepName, CommandSpec action, CommandSpec compensation) {
      return step(stepName, action, compensation, null, null, null);
    }

    /** A step; null arguments take the defaults (no compensation, 30 s, the default policies). */
    public Builder step(
        String stepName,
        CommandSpec action,
        CommandSpec compensation,
        Duration timeout,
        RetryPolicy retry,
        RetryPolicy compensationRetry) {
      steps.add(
          new StepSpec(
              stepName,
              action,
              Optional.ofNullable(compensation),
              timeout == null ? StepDefinition.DEFAULT_TIMEOUT : timeout,
              retry == null ? RetryPolicy.DEFAULT : retry,
              compensationRetry == null ? RetryPolicy.DEFAULT : compensationRetry));
      return this;
    }

    /** A parallel step, whose action branches run at once. */
    public Builder parallel(String stepName, List<StepSpec> branches) {
      steps.add(StepSpec.parallel(stepName, branches));
      return this;
    }

    /** A receive step. */
    public Builder receive(String stepName, ReceiveStepSpec receive) {
      steps.add(StepSpec.receiving(stepName, receive));
      return this;
    }

    /**
     * The definition, checked as a document is.
     *
     * @throws InvalidDefinitionException naming every field that is wrong
     */
    public DefinitionSpec build() {
      DefinitionSpec spec = new DefinitionSpec(name, data, Optional.ofNullable(deadline), steps);
      List<DefinitionError> errors = DefinitionRules.check(spec);
      if (!errors.isEmpty()) {
        throw new InvalidDefinitionException(errors);
      }
      return spec;
    }
  }
}
