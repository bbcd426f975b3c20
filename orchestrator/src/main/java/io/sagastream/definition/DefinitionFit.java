package io.sagastream.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Checks, before anything is deployed, that a definition's schemas fit its saga data: every command
 * can be read from the data record by Avro schema resolution (fields match by name, aliases and
 * defaults honoured), and every declared reply's fields exist in the data with assignable types.
 */
public final class DefinitionFit {

  private DefinitionFit() {}

  /** Every misfit, each at the path of the schema it is about; empty when the definition fits. */
  public static List<DefinitionError> check(DefinitionSpec spec, SchemaResolver resolver) {
    List<DefinitionError> errors = new ArrayList<>();
    Schema data = resolve(spec.data(), "data", resolver, errors);
    if (data == null) {
      return errors;
    }
    if (data.getType() != Schema.Type.RECORD) {
      errors.add(new DefinitionError("data", "must be an Avro record, not " + data.getType()));
      return errors;
    }
    for (int i = 0; i < spec.steps().size(); i++) {
      StepSpec step = spec.steps().get(i);
      String at = "steps[" + i + "]";
      if (step.isParallel()) {
        for (int b = 0; b < step.branches().size(); b++) {
          StepSpec branch = step.branches().get(b);
          String branchAt = at + ".parallel[" + b + "]";
          checkCommand(branch.action(), branchAt + ".action", data, resolver, errors);
          branch
              .compensation()
              .ifPresent(c -> checkCommand(c, branchAt + ".compensation", data, resolver, errors));
        }
        continue;
      }
      if (step.receive().isPresent()) {
        Optional<SchemaSource> message = step.receive().get().schema();
        if (message.isPresent()) {
          Schema schema = resolve(message.get(), at + ".receive", resolver, errors);
          if (schema != null) {
            checkReply(schema, at + ".receive", data, errors);
          }
        }
        continue;
      }
      checkCommand(step.action(), at + ".action", data, resolver, errors);
      step.compensation()
          .ifPresent(c -> checkCommand(c, at + ".compensation", data, resolver, errors));
    }
    return errors;
  }

  /**
   * The command schema as a reader of the data record: a copy that also answers to the data
   * record's name, since a command record is named for what it asks, not for the data it is read
   * from.
   */
  public static Schema commandReader(Schema command, Schema data) {
    Schema reader = new Schema.Parser().parse(command.toString());
    if (reader.getType() == Schema.Type.RECORD
        && !reader.getFullName().equals(data.getFullName())) {
      reader.addAlias(data.getFullName());
    }
    return reader;
  }

  private static void checkCommand(
      CommandSpec command,
      String at,
      Schema data,
      SchemaResolver resolver,
      List<DefinitionError> errors) {
    Schema schema = resolve(command.schema(), at, resolver, errors);
    if (schema != null) {
      if (schema.getType() != Schema.Type.RECORD) {
        errors.add(
            new DefinitionError(at + ".schema", "must be an Avro record, not " + schema.getType()));
      } else {
        var result =
            SchemaCompatibility.checkReaderWriterCompatibility(commandReader(schema, data), data);
        if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
          result
              .getResult()
              .getIncompatibilities()
              .forEach(
                  problem ->
                      errors.add(
                          new DefinitionError(
                              at + ".schema",
                              "cannot be read from the saga data: "
                                  + problem.getType()
                                  + " at "
                                  + problem.getLocation()
                                  + " ("
                                  + problem.getMessage()
                                  + ")")));
        }
      }
    }
    Optional<SchemaSource> replySource = command.reply();
    if (replySource.isPresent()) {
      Schema reply = resolve(replySource.get(), at + ".reply", resolver, errors);
      if (reply != null) {
        checkReply(reply, at + ".reply", data, errors);
      }
    }
  }

  private static void checkReply(
      Schema reply, String at, Schema data, List<DefinitionError> errors) {
    if (reply.getType() != Schema.Type.RECORD) {
      errors.add(
          new DefinitionError(at + ".schema", "must be an Avro record, not " + reply.getType()));
      return;
    }
    for (Schema.Field field : reply.getFields()) {
      Schema.Field target = data.getField(field.name());
      if (target == null) {
        errors.add(
            new DefinitionError(
                at + ".schema." + field.name(),
                "has no field of that name in the saga data " + data.getFullName()));
        continue;
      }
      var result =
          SchemaCompatibility.checkReaderWriterCompatibility(target.schema(), field.schema());
      if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
        errors.add(
            new DefinitionError(
                at + ".schema." + field.name(),
                "a "
                    + field.schema().getType()
                    + " cannot be assigned to the data field of type "
                    + target.schema().getType()));
      }
    }
  }

  private static Schema resolve(
      SchemaSource source, String at, SchemaResolver resolver, List<DefinitionError> errors) {
    try {
      return resolver.resolve(source);
    } catch (IllegalArgumentException e) {
      String path = source instanceof SchemaSource.FromRegistry ? at + ".subject" : at + ".schema";
      errors.add(new DefinitionError(path, e.getMessage()));
      return null;
    }
  }
}
