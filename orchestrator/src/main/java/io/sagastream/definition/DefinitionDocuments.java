package io.sagastream.definition;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sagastream.engine.ReceiveSpec.ReceiveTimeoutAction;
import io.sagastream.engine.RetryPolicy;
import io.sagastream.engine.StepDefinition;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * Reads definition documents (JSON, or YAML of the same shape) into {@link DefinitionSpec},
 * collecting every error with the path of the field it is about. Unknown fields are errors too, so
 * that a typo ("retries" for "retry") is not silently ignored.
 */
public final class DefinitionDocuments {

  private static final StreamReadConstraints LIMITS =
      StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(1_000_000).build();
  private static final ObjectMapper JSON = strict(new ObjectMapper());
  private static final ObjectMapper YAML = strict(new ObjectMapper(new YAMLFactory()));

  /** The longest deadline, timeout or delay a definition may give. */
  static final Duration LONGEST = Duration.ofDays(3650);

  private static final Set<String> DEFINITION_FIELDS = Set.of("name", "data", "deadline", "steps");
  private static final Set<String> STEP_FIELDS =
      Set.of(
          "name",
          "action",
          "compensation",
          "timeout",
          "retry",
          "compensationRetry",
          "receive",
          "parallel");
  private static final Set<String> RECEIVE_FIELDS =
      Set.of("message", "timeout", "onTimeout", "schema", "subject", "version");
  private static final Set<String> COMMAND_FIELDS =
      Set.of("topic", "schema", "subject", "version", "reply");
  private static final Set<String> SCHEMA_FIELDS = Set.of("schema", "subject", "version");
  private static final Set<String> RETRY_FIELDS =
      Set.of("maxAttempts", "initialDelay", "multiplier", "maxDelay", "jitter");

  private DefinitionDocuments() {}

  /** Reads a JSON document; a document starting with anything but '{' is read as YAML. */
  public static DefinitionSpec parse(String document) {
    boolean json = document.stripLeading().startsWith("{");
    JsonNode root;
    try {
      root = (json ? JSON : YAML).readTree(document);
    } catch (JsonProcessingException e) {
      throw new InvalidDefinitionException(
          List.of(
              new DefinitionError(
                  "$",
                  "not a readable "
                      + (json ? "JSON" : "YAML")
                      + " document: "
                      + e.getOriginalMessage())));
    }
    Errors errors = new Errors();
    DefinitionSpec spec = read(root, errors);
    if (errors.isEmpty()) {
      errors.addAll(DefinitionRules.check(spec));
    }
    if (!errors.isEmpty()) {
      throw new InvalidDefinitionException(errors.list());
    }
    return spec;
  }

  private static DefinitionSpec read(JsonNode root, Errors errors) {
    if (root == null || !root.isObject()) {
      errors.add("$", "must be an object with name, data and steps");
      return null;
    }
    errors.unknownFields(root, "", DEFINITION_FIELDS);
    String name = errors.requiredText(root, "name", "name");
    SchemaSource data = schemaSource(root.get("data"), "data", errors, true);
    Optional<Duration> deadline =
        Optional.ofNullable(errors.duration(root.get("deadline"), "deadline"));
    List<StepSpec> steps = new ArrayList<>();
    JsonNode stepNodes = root.get("steps");
    if (stepNodes == null || !stepNodes.isArray()) {
      errors.add("steps", "is required: an array of steps");
    } else {
      for (int i = 0; i < stepNodes.size(); i++) {
        StepSpec step = step(stepNodes.get(i), "steps[" + i + "]", errors);
        if (step != null) {
          steps.add(step);
        }
      }
    }
    return new DefinitionSpec(name, data, deadline, steps);
  }

  private static StepSpec step(JsonNode node, String at, Errors errors) {
    if (!node.isObject()) {
      errors.add(at, "must be an object");
      return null;
    }
    errors.unknownFields(node, at + ".", STEP_FIELDS);
    String name = errors.requiredText(node, "name", at + ".name");
    if (node.has("parallel")) {
      JsonNode branches = node.get("parallel");
      if (!branches.isArray() || branches.isEmpty()) {
        errors.add(at + ".parallel", "must be a non-empty array of action steps");
        return null;
      }
      for (String actionField :
          List.of("action", "compensation", "retry", "compensationRetry", "timeout", "receive")) {
        if (node.has(actionField)) {
          errors.add(at + "." + actionField, "belongs to the branches of a parallel step");
        }
      }
      List<StepSpec> parsed = new ArrayList<>();
      for (int b = 0; b < branches.size(); b++) {
        StepSpec branch = step(branches.get(b), at + ".parallel[" + b + "]", errors);
        if (branch != null) {
          parsed.add(branch);
        }
      }
      return name == null || parsed.size() != branches.size()
          ? null
          : StepSpec.parallel(name, parsed);
    }
    if (node.has("receive")) {
      ReceiveStepSpec receive = receive(node.get("receive"), at + ".receive", errors);
      for (String actionField :
          List.of("action", "compensation", "retry", "compensationRetry", "timeout")) {
        if (node.has(actionField)) {
          errors.add(at + "." + actionField, "belongs to action steps; a receive step has none");
        }
      }
      return name == null || receive == null ? null : StepSpec.receiving(name, receive);
    }
    CommandSpec action = command(node.get("action"), at + ".action", errors, true);
    CommandSpec compensation =
        command(node.get("compensation"), at + ".compensation", errors, false);
    Duration timeout = errors.duration(node.get("timeout"), at + ".timeout");
    RetryPolicy retry = retry(node.get("retry"), at + ".retry", errors);
    RetryPolicy compensationRetry =
        retry(node.get("compensationRetry"), at + ".compensationRetry", errors);
    if (name == null || action == null) {
      return null;
    }
    return new StepSpec(
        name,
        action,
        Optional.ofNullable(compensation),
        timeout == null ? StepDefinition.DEFAULT_TIMEOUT : timeout,
        retry,
        compensationRetry);
  }

  private static ReceiveStepSpec receive(JsonNode node, String at, Errors errors) {
    if (!node.isObject()) {
      errors.add(at, "must be an object with message, and optionally timeout and onTimeout");
      return null;
    }
    errors.unknownFields(node, at + ".", RECEIVE_FIELDS);
    String message = errors.requiredText(node, "message", at + ".message");
    Duration timeout = errors.duration(node.get("timeout"), at + ".timeout");
    ReceiveTimeoutAction onTimeout = ReceiveTimeoutAction.COMPENSATE;
    JsonNode action = node.get("onTimeout");
    if (action != null && !action.isNull()) {
      try {
        onTimeout =
            ReceiveTimeoutAction.valueOf(action.asText().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        errors.add(at + ".onTimeout", "must be compensate, continue or fail, not " + action);
      }
    }
    SchemaSource schema =
        node.has("schema") || node.has("subject") ? schemaSource(node, at, errors, false) : null;
    if (message == null) {
      return null;
    }
    return new ReceiveStepSpec(
        message, Optional.ofNullable(timeout), onTimeout, Optional.ofNullable(schema));
  }

  private static CommandSpec command(JsonNode node, String at, Errors errors, boolean required) {
    if (node == null || node.isNull()) {
      if (required) {
        errors.add(at, "is required: an object with topic and schema (or subject)");
      }
      return null;
    }
    if (!node.isObject()) {
      errors.add(at, "must be an object with topic and schema (or subject)");
      return null;
    }
    errors.unknownFields(node, at + ".", COMMAND_FIELDS);
    String topic = errors.requiredText(node, "topic", at + ".topic");
    SchemaSource schema = schemaSource(node, at, errors, true);
    SchemaSource reply = schemaSource(node.get("reply"), at + ".reply", errors, false);
    if (topic == null || schema == null) {
      return null;
    }
    return new CommandSpec(topic, schema, Optional.ofNullable(reply));
  }

  /** An inline "schema" or a "subject" with an optional "version" (a number or "latest"). */
  private static SchemaSource schemaSource(
      JsonNode node, String at, Errors errors, boolean required) {
    if (node == null || node.isNull()) {
      if (required) {
        errors.add(at, "is required: {\"schema\": {...}} or {\"subject\": \"...\"}");
      }
      return null;
    }
    if (!node.isObject()) {
      errors.add(at, "must be an object with schema or subject");
      return null;
    }
    if (at.endsWith(".reply") || at.equals("data")) {
      errors.unknownFields(node, at + ".", SCHEMA_FIELDS);
    }
    JsonNode inline = node.get("schema");
    JsonNode subject = node.get("subject");
    if (inline != null && subject != null) {
      errors.add(at, "has both schema and subject; give one");
      return null;
    }
    if (inline != null) {
      try {
        return new SchemaSource.Inline(
            new Schema.Parser().setValidateDefaults(true).parse(inline.toString()));
      } catch (AvroRuntimeException e) {
        // Beside parse and type errors, Avro throws its base exception for a union with a
        // duplicate or nested branch, a field named twice, or a fixed of negative size.
        errors.add(at + ".schema", "is not a valid Avro schema: " + e.getMessage());
        return null;
      }
    }
    if (subject == null || !subject.isTextual() || subject.asText().isBlank()) {
      errors.add(at, "needs schema (an inline Avro schema) or subject (a registry subject)");
      return null;
    }
    JsonNode version = node.get("version");
    if (version == null || version.isNull() || "latest".equals(version.asText())) {
      return new SchemaSource.FromRegistry(subject.asText(), Optional.empty());
    }
    if (!version.isInt() || version.asInt() < 1) {
      errors.add(at + ".version", "must be a version number from 1, or \"latest\"");
      return null;
    }
    return new SchemaSource.FromRegistry(subject.asText(), Optional.of(version.asInt()));
  }

  private static RetryPolicy retry(JsonNode node, String at, Errors errors) {
    if (node == null || node.isNull()) {
      return RetryPolicy.DEFAULT;
    }
    if (!node.isObject()) {
      errors.add(at, "must be an object");
      return RetryPolicy.DEFAULT;
    }
    errors.unknownFields(node, at + ".", RETRY_FIELDS);
    RetryPolicy d = RetryPolicy.DEFAULT;
    int before = errors.size();
    int maxAttempts =
        errors.integer(node.get("maxAttempts"), at + ".maxAttempts", d.maxAttempts(), 1);
    Duration initialDelay =
        Optional.ofNullable(errors.duration(node.get("initialDelay"), at + ".initialDelay", true))
            .orElse(d.initialDelay());
    double multiplier =
        errors.number(node.get("multiplier"), at + ".multiplier", d.multiplier(), 1.0, 100.0);
    Duration maxDelay =
        Optional.ofNullable(errors.duration(node.get("maxDelay"), at + ".maxDelay"))
            .orElse(d.maxDelay());
    double jitter = errors.number(node.get("jitter"), at + ".jitter", d.jitter(), 0.0, 1.0);
    if (errors.size() > before) {
      return RetryPolicy.DEFAULT;
    }
    if (maxDelay.compareTo(initialDelay) < 0) {
      errors.add(
          at + ".maxDelay",
          "must be at least initialDelay (" + initialDelay + "), not " + maxDelay);
      return RetryPolicy.DEFAULT;
    }
    return new RetryPolicy(maxAttempts, initialDelay, multiplier, maxDelay, jitter);
  }

  private static ObjectMapper strict(ObjectMapper mapper) {
    mapper.getFactory().setStreamReadConstraints(LIMITS);
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return mapper;
  }

  /** Errors found so far, and readers of typed fields that add to them. */
  private static final class Errors {
    private final List<DefinitionError> list = new ArrayList<>();

    void add(String path, String message) {
      list.add(new DefinitionError(path, message));
    }

    void addAll(List<DefinitionError> errors) {
      list.addAll(errors);
    }

    boolean isEmpty() {
      return list.isEmpty();
    }

    int size() {
      return list.size();
    }

    List<DefinitionError> list() {
      return list;
    }

    void unknownFields(JsonNode node, String prefix, Set<String> known) {
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String field = names.next();
        if (!known.contains(field)) {
          add(
              prefix + field,
              "is not a known field (known: "
                  + String.join(", ", new java.util.TreeSet<>(known))
                  + ")");
        }
      }
    }

    String requiredText(JsonNode parent, String field, String path) {
      JsonNode node = parent.get(field);
      if (node == null || node.isNull()) {
        add(path, "is required");
        return null;
      }
      if (!node.isTextual()) {
        add(path, "must be a string");
        return null;
      }
      return node.asText();
    }

    Duration duration(JsonNode node, String path) {
      return duration(node, path, false);
    }

    /**
     * An ISO-8601 duration such as PT30S; positive, or not negative when zero is allowed; in whole
     * milliseconds, which is what timers keep; and at most {@link DefinitionDocuments#LONGEST}, so
     * that a due time stays a number.
     */
    Duration duration(JsonNode node, String path, boolean zeroAllowed) {
      if (node == null || node.isNull()) {
        return null;
      }
      if (!node.isTextual()) {
        add(path, "must be an ISO-8601 duration such as \"PT30S\"");
        return null;
      }
      try {
        Duration duration = Duration.parse(node.asText());
        if (duration.isNegative() || (!zeroAllowed && duration.isZero())) {
          add(
              path,
              "must be " + (zeroAllowed ? "zero or more" : "positive") + ", not " + node.asText());
          return null;
        }
        if (duration.compareTo(LONGEST) > 0) {
          add(path, "must be at most P" + LONGEST.toDays() + "D, not " + node.asText());
          return null;
        }
        if (duration.getNano() % 1_000_000 != 0) {
          add(path, "must be in whole milliseconds, not " + node.asText());
          return null;
        }
        return duration;
      } catch (DateTimeParseException e) {
        add(path, "must be an ISO-8601 duration such as \"PT30S\", not \"" + node.asText() + "\"");
        return null;
      }
    }

    int integer(JsonNode node, String path, int fallback, int min) {
      if (node == null || node.isNull()) {
        return fallback;
      }
      if (!node.isInt() || node.asInt() < min) {
        add(path, "must be a whole number of at least " + min + ", not " + node);
        return fallback;
      }
      return node.asInt();
    }

    double number(JsonNode node, String path, double fallback, double min, double max) {
      if (node == null || node.isNull()) {
        return fallback;
      }
      // Written so that NaN, which YAML can spell and which fails every comparison, is refused.
      if (!node.isNumber() || !(node.asDouble() >= min && node.asDouble() <= max)) {
        add(path, "must be a number from " + min + " to " + max + ", not " + node);
        return fallback;
      }
      return node.asDouble();
    }
  }
}
