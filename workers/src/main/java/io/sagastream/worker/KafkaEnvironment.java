package io.sagastream.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kafka client properties from environment variables, so that a participant's deployment sets its
 * Kafka security the way the orchestrator's does, without code: {@code SAGASTREAM_KAFKA_<NAME>} is
 * the Kafka property {@code <name>} with underscores as dots ({@code
 * SAGASTREAM_KAFKA_SECURITY_PROTOCOL=SASL_SSL} is {@code security.protocol}; Kafka's client
 * property names have neither underscores nor capitals). {@code SAGASTREAM_KAFKA_<NAME>_FILE} names
 * a file whose content is the value, for secrets mounted as files ({@code
 * SAGASTREAM_KAFKA_SASL_JAAS_CONFIG_FILE=/etc/kafka-secret/jaas}); one trailing line break is
 * dropped.
 */
public final class KafkaEnvironment {

  /** The prefix of the environment variables read. */
  public static final String PREFIX = "SAGASTREAM_KAFKA_";

  private static final String FILE_SUFFIX = "_FILE";

  private KafkaEnvironment() {}

  /** The Kafka client properties {@code environment} sets, by Kafka's names. */
  public static Map<String, Object> properties(Map<String, String> environment) {
    Map<String, Object> properties = new TreeMap<>();
    environment.forEach(
        (name, value) -> {
          if (!name.startsWith(PREFIX) || value == null) {
            return;
          }
          String rest = name.substring(PREFIX.length());
          if (rest.endsWith(FILE_SUFFIX)) {
            String plain = rest.substring(0, rest.length() - FILE_SUFFIX.length());
            String property = propertyName(plain);
            if (environment.containsKey(PREFIX + plain)) {
              throw new IllegalArgumentException(
                  PREFIX + plain + " and " + name + " are both set: choose one, for " + property);
            }
            properties.put(property, read(name, Path.of(value)));
          } else if (!rest.isEmpty()) {
            properties.put(propertyName(rest), value);
          }
        });
    return properties;
  }

  private static String propertyName(String variable) {
    return variable.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  private static String read(String variable, Path file) {
    try {
      String content = Files.readString(file, StandardCharsets.UTF_8);
      if (content.endsWith("\r\n")) {
        return content.substring(0, content.length() - 2);
      }
      return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
    } catch (IOException e) {
      // The file's name only: its content may be a secret.
      throw new UncheckedIOException(
          "Cannot read " + file + " (named by " + variable + "): " + e.getClass().getSimpleName(),
          e);
    }
  }
}
