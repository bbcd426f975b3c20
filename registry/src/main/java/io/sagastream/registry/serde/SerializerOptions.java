package io.sagastream.registry.serde;

import java.util.Locale;
import java.util.Map;

/**
 * How a serializer picks the writer schema and its id.
 *
 * @param isKey whether it serializes record keys (subject suffix {@code -key}) or values
 * @param subjectNameStrategy which subject the schema belongs to
 * @param autoRegister register the record's schema when the subject lacks it; when false, the
 *     schema must already be registered
 * @param useLatestVersion write with the subject's newest registered version, whatever the record's
 *     own schema (it is converted by schema resolution); wins over {@code autoRegister}
 */
public record SerializerOptions(
    boolean isKey,
    SubjectNameStrategy subjectNameStrategy,
    boolean autoRegister,
    boolean useLatestVersion) {

  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  public static final String USE_LATEST_VERSION = "use.latest.version";
  public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
  public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";

  /** Values, topic subjects, auto-registration on: what Confluent's serializer does by default. */
  public static SerializerOptions defaults() {
    return new SerializerOptions(false, SubjectNameStrategy.TOPIC, true, false);
  }

  /** Reads the property names Confluent's serializer uses. */
  public static SerializerOptions fromProperties(Map<String, ?> properties, boolean isKey) {
    Object strategy =
        properties.get(isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY);
    return new SerializerOptions(
        isKey,
        strategy == null
            ? SubjectNameStrategy.TOPIC
            : SubjectNameStrategy.parse(strategy.toString()),
        flag(properties, AUTO_REGISTER_SCHEMAS, true),
        flag(properties, USE_LATEST_VERSION, false));
  }

  public SerializerOptions forKeys() {
    return new SerializerOptions(true, subjectNameStrategy, autoRegister, useLatestVersion);
  }

  public SerializerOptions withStrategy(SubjectNameStrategy strategy) {
    return new SerializerOptions(isKey, strategy, autoRegister, useLatestVersion);
  }

  public SerializerOptions withAutoRegister(boolean enabled) {
    return new SerializerOptions(isKey, subjectNameStrategy, enabled, useLatestVersion);
  }

  public SerializerOptions withUseLatestVersion(boolean enabled) {
    return new SerializerOptions(isKey, subjectNameStrategy, autoRegister, enabled);
  }

  static boolean flag(Map<String, ?> properties, String name, boolean fallback) {
    Object value = properties.get(name);
    if (value == null) {
      return fallback;
    }
    return switch (value.toString().trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(name + " must be true or false, not '" + value + "'");
    };
  }
}
