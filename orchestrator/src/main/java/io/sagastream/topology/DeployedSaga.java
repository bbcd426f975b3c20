package io.sagastream.topology;

import io.sagastream.contracts.TopicNames;
import io.sagastream.contracts.v1.CommandDefinition;
import io.sagastream.contracts.v1.DeployedDefinition;
import io.sagastream.contracts.v1.RetryPolicy;
import io.sagastream.contracts.v1.SchemaReference;
import io.sagastream.contracts.v1.StepDefinition;
import io.sagastream.contracts.v1.StepKind;
import io.sagastream.engine.CommandKind;
import io.sagastream.engine.ReceiveSpec;
import io.sagastream.engine.SagaDefinition;
import io.sagastream.registry.SchemaText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * A deployed definition ready to run: the engine's definition, the data schema, and each step's
 * command schemas with the registry ids their commands are framed with. Built once per version from
 * the definitions store.
 */
public record DeployedSaga(
    SagaDefinition definition, Schema dataSchema, Map<String, CommandSchema> commands) {

  /** The schema a command is written with, and its registry id. */
  public record CommandSchema(Schema schema, int schemaId) {}

  public CommandSchema command(String step, CommandKind kind) {
    CommandSchema schema = commands.get(step + "/" + kind);
    if (schema == null) {
      throw new IllegalStateException("No " + kind + " schema for step " + step);
    }
    return schema;
  }

  public static DeployedSaga from(DeployedDefinition deployed) {
    List<io.sagastream.engine.StepDefinition> steps = new ArrayList<>();
    Map<String, CommandSchema> commands = new HashMap<>();
    for (StepDefinition step : deployed.getSteps()) {
      if (step.getKind() == StepKind.RECEIVE) {
        var receive = step.getReceive();
        steps.add(
            io.sagastream.engine.StepDefinition.receiving(
                step.getName(),
                new ReceiveSpec(
                    receive.getMessageName(),
                    Optional.ofNullable(receive.getTimeoutMillis()).map(Duration::ofMillis),
                    ReceiveSpec.ReceiveTimeoutAction.valueOf(receive.getOnTimeout().name()))));
        continue;
      }
      if (step.getKind() == StepKind.PARALLEL) {
        for (StepDefinition branch : step.getBranches()) {
          steps.add(action(branch, commands).inParallel(step.getName()));
        }
        continue;
      }
      steps.add(action(step, commands));
    }
    SagaDefinition definition =
        new SagaDefinition(
            deployed.getName(),
            deployed.getVersion(),
            Optional.ofNullable(deployed.getDeadlineMillis()).map(Duration::ofMillis),
            steps);
    return new DeployedSaga(
        definition, SchemaText.parse(deployed.getDataSchema().getText()), Map.copyOf(commands));
  }

  private static io.sagastream.engine.StepDefinition action(
      StepDefinition step, Map<String, CommandSchema> commands) {
    CommandDefinition action = step.getAction();
    commands.put(
        step.getName() + "/" + CommandKind.ACTION,
        schema(action.getCommandSchema(), step, "action"));
    Optional<CommandDefinition> compensation = Optional.ofNullable(step.getCompensation());
    compensation.ifPresent(
        c ->
            commands.put(
                step.getName() + "/" + CommandKind.COMPENSATION,
                schema(c.getCommandSchema(), step, "compensation")));
    return new io.sagastream.engine.StepDefinition(
        step.getName(),
        topic(action, step, "action"),
        compensation.map(c -> topic(c, step, "compensation")),
        Duration.ofMillis(
            Optional.ofNullable(step.getTimeoutMillis())
                .orElse(io.sagastream.engine.StepDefinition.DEFAULT_TIMEOUT.toMillis())),
        policy(step.getRetry()),
        policy(step.getCompensationRetry()));
  }

  /**
   * The command's topic, refused here when it is not a topic's name: a definition written to the
   * definitions topic around the deploy API is not checked there, and Kafka's refusal of the name
   * in a send is fatal to the stream thread, which would meet it again after its replacement.
   */
  private static String topic(CommandDefinition command, StepDefinition step, String kind) {
    if (!TopicNames.isValid(command.getTopic())) {
      throw new IllegalArgumentException(
          "Step "
              + step.getName()
              + " has a "
              + kind
              + " topic that is not a Kafka topic name: "
              + command.getTopic());
    }
    return command.getTopic();
  }

  private static CommandSchema schema(SchemaReference reference, StepDefinition step, String kind) {
    if (reference.getId() == null) {
      throw new IllegalArgumentException(
          "Step " + step.getName() + " has a " + kind + " schema without a registry id");
    }
    return new CommandSchema(SchemaText.parse(reference.getText()), reference.getId());
  }

  private static io.sagastream.engine.RetryPolicy policy(RetryPolicy policy) {
    if (policy == null) {
      return io.sagastream.engine.RetryPolicy.DEFAULT;
    }
    return new io.sagastream.engine.RetryPolicy(
        policy.getMaxAttempts(),
        Duration.ofMillis(policy.getInitialDelayMillis()),
        policy.getMultiplier(),
        Duration.ofMillis(policy.getMaxDelayMillis()),
        policy.getJitter());
  }
}
