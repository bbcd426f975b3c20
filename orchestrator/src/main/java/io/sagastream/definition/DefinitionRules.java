package io.sagastream.definition;

import io.sagastream.contracts.TopicNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules every definition follows, however it was written. */
final class DefinitionRules {

  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private DefinitionRules() {}

  static List<DefinitionError> check(DefinitionSpec spec) {
    List<DefinitionError> errors = new ArrayList<>();
    if (spec.name() == null || !NAME.matcher(spec.name()).matches()) {
      errors.add(
          new DefinitionError(
              "name",
              "must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit"));
    }
    if (spec.data() == null) {
      errors.add(
          new DefinitionError("data", "is required: an inline schema or a registry subject"));
    } else if (spec.data() instanceof SchemaSource.Inline inline
        && inline.schema().getType() != org.apache.avro.Schema.Type.RECORD) {
      errors.add(new DefinitionError("data.schema", "must be an Avro record schema"));
    }
    spec.deadline()
        .filter(d -> d.isZero() || d.isNegative())
        .ifPresent(d -> errors.add(new DefinitionError("deadline", "must be positive, not " + d)));
    if (spec.steps().isEmpty()) {
      errors.add(new DefinitionError("steps", "must hold at least one step"));
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < spec.steps().size(); i++) {
      checkStep(spec.steps().get(i), "steps[" + i + "]", names, errors, true);
    }
    return errors;
  }

  private static void checkStep(
      StepSpec step, String at, Set<String> names, List<DefinitionError> errors, boolean top) {
    if (step.name() == null || !NAME.matcher(step.name()).matches()) {
      errors.add(
          new DefinitionError(at + ".name", "must be 1-100 letters, digits, '.', '_' or '-'"));
    } else if (!names.add(step.name())) {
      errors.add(
          new DefinitionError(at + ".name", "'" + step.name() + "' is used by an earlier step"));
    }
    if (step.isParallel()) {
      if (!top) {
        errors.add(new DefinitionError(at + ".parallel", "a branch cannot itself be parallel"));
        return;
      }
      for (int b = 0; b < step.branches().size(); b++) {
        StepSpec branch = step.branches().get(b);
        String branchAt = at + ".parallel[" + b + "]";
        if (branch.receive().isPresent()) {
          errors.add(new DefinitionError(branchAt + ".receive", "a branch is an action step"));
        }
        checkStep(branch, branchAt, names, errors, false);
      }
      return;
    }
    if (step.action() == null && step.receive().isEmpty()) {
      errors.add(new DefinitionError(at + ".action", "is required (or receive, or parallel)"));
    } else if (step.action() != null && step.receive().isPresent()) {
      errors.add(
          new DefinitionError(at + ".receive", "a step has an action or a receive, not both"));
    } else if (step.receive().isPresent()) {
      if (step.compensation().isPresent()) {
        errors.add(new DefinitionError(at + ".compensation", "a receive step has nothing to undo"));
      }
      if (step.receive().get().messageName() == null
          || step.receive().get().messageName().isBlank()) {
        errors.add(new DefinitionError(at + ".receive.message", "is required"));
      }
    } else {
      checkTopic(step.action().topic(), at + ".action.topic", errors);
    }
    step.compensation().ifPresent(c -> checkTopic(c.topic(), at + ".compensation.topic", errors));
    if (step.timeout().isZero() || step.timeout().isNegative()) {
      errors.add(new DefinitionError(at + ".timeout", "must be positive, not " + step.timeout()));
    }
  }

  private static void checkTopic(String topic, String path, List<DefinitionError> errors) {
    if (!TopicNames.isValid(topic)) {
      errors.add(
          new DefinitionError(
              path,
              "must be a Kafka topic name (1-249 letters, digits, '.', '_' or '-'), not " + topic));
    }
  }
}
