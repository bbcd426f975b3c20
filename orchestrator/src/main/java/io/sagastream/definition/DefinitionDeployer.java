package io.sagastream.definition;

import io.sagastream.contracts.v1.CommandDefinition;
import io.sagastream.contracts.v1.DeployedDefinition;
import io.sagastream.contracts.v1.ReceiveDefinition;
import io.sagastream.contracts.v1.ReceiveTimeoutAction;
import io.sagastream.contracts.v1.SchemaReference;
import io.sagastream.contracts.v1.StepDefinition;
import io.sagastream.contracts.v1.StepKind;
import io.sagastream.engine.RetryPolicy;
import io.sagastream.registry.RegisteredSchema;
import io.sagastream.registry.RegistryUnavailableException;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.SchemaRegistryException;
import io.sagastream.registry.SchemaText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Turns a checked definition into what the definitions topic holds: every schema resolved, inline
 * ones registered (commands under {@code <topic>-<record name>}, the data under {@code
 * saga.<definition>.data}), each with the registry id its records are framed with.
 */
public final class DefinitionDeployer {

  private final SchemaRegistry registry;

  public DefinitionDeployer(SchemaRegistry registry) {
    this.registry = registry;
  }

  /**
   * Checks {@code spec} against the registry and builds version {@code version} of it.
   *
   * @throws InvalidDefinitionException naming every field that does not fit; nothing is registered
   *     then
   */
  public DeployedDefinition prepare(
      DefinitionSpec spec, int version, String document, String deployedBy, Instant now) {
    RegistrySchemaResolver resolver = new RegistrySchemaResolver(registry);
    List<DefinitionError> errors = DefinitionFit.check(spec, resolver);
    if (!errors.isEmpty()) {
      throw new InvalidDefinitionException(errors);
    }
    List<StepDefinition> steps = new ArrayList<>();
    for (StepSpec step : spec.steps()) {
      if (step.receive().isPresent()) {
        steps.add(receiveStep(step.name(), step.receive().get(), resolver));
        continue;
      }
      if (step.isParallel()) {
        List<StepDefinition> branches = new ArrayList<>();
        step.branches().forEach(branch -> branches.add(actionStep(branch, resolver)));
        steps.add(
            StepDefinition.newBuilder()
                .setName(step.name())
                .setKind(StepKind.PARALLEL)
                .setBranches(branches)
                .build());
        continue;
      }
      steps.add(actionStep(step, resolver));
    }
    return DeployedDefinition.newBuilder()
        .setName(spec.name())
        .setVersion(version)
        .setDeployedAt(now)
        .setDeployedBy(deployedBy)
        .setDataSchema(reference(spec.data(), "saga." + spec.name() + ".data", resolver))
        .setDeadlineMillis(spec.deadline().map(d -> d.toMillis()).orElse(null))
        .setSteps(steps)
        .setDocument(document)
        .build();
  }

  private StepDefinition actionStep(StepSpec step, RegistrySchemaResolver resolver) {
    return StepDefinition.newBuilder()
        .setName(step.name())
        .setKind(StepKind.ACTION)
        .setAction(command(step.action(), resolver))
        .setCompensation(step.compensation().map(c -> command(c, resolver)).orElse(null))
        .setTimeoutMillis(step.timeout().toMillis())
        .setRetry(policy(step.retry()))
        .setCompensationRetry(policy(step.compensationRetry()))
        .build();
  }

  private StepDefinition receiveStep(
      String name, ReceiveStepSpec receive, RegistrySchemaResolver resolver) {
    return StepDefinition.newBuilder()
        .setName(name)
        .setKind(StepKind.RECEIVE)
        .setReceive(
            ReceiveDefinition.newBuilder()
                .setMessageName(receive.messageName())
                .setTimeoutMillis(receive.timeout().map(d -> d.toMillis()).orElse(null))
                .setMessageSchema(
                    receive
                        .schema()
                        .map(s -> reference(s, "saga.messages-" + receive.messageName(), resolver))
                        .orElse(null))
                .setOnTimeout(ReceiveTimeoutAction.valueOf(receive.onTimeout().name()))
                .build())
        .build();
  }

  private CommandDefinition command(CommandSpec command, RegistrySchemaResolver resolver) {
    return CommandDefinition.newBuilder()
        .setTopic(command.topic())
        .setCommandSchema(reference(command.schema(), command.topic(), resolver))
        .setReplySchema(
            command
                .reply()
                .map(r -> reference(r, command.topic() + "-reply", resolver))
                .orElse(null))
        .build();
  }

  /**
   * The schema with its registry id: registered when inline, as {@code resolver} found it (and
   * checked it) when named by subject.
   */
  private SchemaReference reference(
      SchemaSource source, String subjectBase, RegistrySchemaResolver resolver) {
    try {
      RegisteredSchema registered;
      if (source instanceof SchemaSource.Inline inline) {
        Schema schema = inline.schema();
        String subject =
            subjectBase.startsWith("saga.")
                ? subjectBase
                : subjectBase + "-" + schema.getFullName();
        registry.register(subject, schema);
        registered = registry.lookup(subject, schema);
      } else {
        registered = resolver.registered((SchemaSource.FromRegistry) source);
      }
      return SchemaReference.newBuilder()
          .setSubject(registered.subject())
          .setVersion(registered.version())
          .setId(registered.id())
          .setText(SchemaText.canonical(registered.schema()))
          .build();
    } catch (RegistryUnavailableException e) {
      throw e;
    } catch (SchemaRegistryException e) {
      throw new InvalidDefinitionException(
          List.of(new DefinitionError(subjectBase, "the registry refused it: " + e.getMessage())));
    } catch (IllegalArgumentException e) {
      // A subject the fit check did not resolve, gone from the registry.
      throw new InvalidDefinitionException(
          List.of(new DefinitionError(subjectBase, e.getMessage())));
    }
  }

  private static io.sagastream.contracts.v1.RetryPolicy policy(RetryPolicy policy) {
    return io.sagastream.contracts.v1.RetryPolicy.newBuilder()
        .setMaxAttempts(policy.maxAttempts())
        .setInitialDelayMillis(policy.initialDelay().toMillis())
        .setMultiplier(policy.multiplier())
        .setMaxDelayMillis(policy.maxDelay().toMillis())
        .setJitter(policy.jitter())
        .build();
  }
}
