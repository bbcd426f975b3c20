package io.sagastream.deploy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.MapPropertySource;
import io.micronaut.core.convert.format.ReadableBytes;
import io.sagastream.app.OrchestratorSettings;
import io.sagastream.app.StreamsPassThrough;
import io.sagastream.app.TracingSettings;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What the orchestrator really reads from its environment, taken from the application itself: the
 * settings classes' setters (Micronaut maps {@code SAGASTREAM_FOO_BAR} to {@code
 * sagastream.foo-bar}), the fixed Micronaut and JVM names, and Kafka's own setting names for {@code
 * KAFKA_STREAMS_DEFAULT_*}.
 */
final class AppSettings {

  static final String KAFKA_STREAMS_PREFIX = "KAFKA_STREAMS_DEFAULT_";

  /** Read by Micronaut (the HTTP port) and by the JVM itself. */
  static final Set<String> FIXED = Set.of("MICRONAUT_SERVER_PORT", "JAVA_TOOL_OPTIONS");

  private static final Map<String, Setting> SETTINGS = settings();

  private static final Set<String> KAFKA_NAMES = kafkaNames();

  /**
   * The topic settings Kafka names in {@link TopicConfig}, which Kafka Streams gives the topics it
   * creates when they are set with {@code topic.} before them.
   */
  private static final Set<String> TOPIC_NAMES = topicNames();

  private AppSettings() {}

  /**
   * One setting: its environment variable, its Micronaut property and the type it binds to, and
   * whether it is a size such as {@code 256MB} ({@link ReadableBytes}).
   */
  record Setting(String variable, String property, Class<?> type, boolean size) {

    /** Whether {@code value} converts as Micronaut binds it to the setting. */
    boolean converts(Environment environment) {
      if (size) {
        return environment.getProperty(property, String.class).map(AppSettings::bytes).isPresent();
      }
      return environment.getProperty(property, boxedType()).isPresent();
    }

    /** The type to convert a value to: the wrapper of a primitive. */
    Class<?> boxedType() {
      if (!type.isPrimitive()) {
        return type;
      }
      return Map.<Class<?>, Class<?>>of(
              int.class, Integer.class,
              short.class, Short.class,
              long.class, Long.class,
              boolean.class, Boolean.class,
              double.class, Double.class)
          .get(type);
    }
  }

  /** Every setting of {@link OrchestratorSettings} and {@link TracingSettings}, by variable. */
  static Map<String, Setting> all() {
    return SETTINGS;
  }

  /** Whether the node reads {@code variable}. */
  static boolean reads(String variable) {
    return SETTINGS.containsKey(variable)
        || FIXED.contains(variable)
        || kafkaStreamsKey(variable).filter(AppSettings::isKafkaSetting).isPresent();
  }

  /** The Kafka setting a {@code KAFKA_STREAMS_DEFAULT_*} variable sets, as Kafka names it. */
  static Optional<String> kafkaStreamsKey(String variable) {
    if (!variable.startsWith(KAFKA_STREAMS_PREFIX)
        || variable.length() == KAFKA_STREAMS_PREFIX.length()) {
      return Optional.empty();
    }
    return Optional.of(
        variable
            .substring(KAFKA_STREAMS_PREFIX.length())
            .toLowerCase(Locale.ROOT)
            .replace('_', '.'));
  }

  /** Whether Kafka Streams (or a client it makes) knows {@code key}. */
  static boolean isKafkaSetting(String key) {
    if (key.startsWith(StreamsConfig.CLIENT_TAG_PREFIX)) {
      return key.length() > StreamsConfig.CLIENT_TAG_PREFIX.length();
    }
    for (String prefix :
        List.of(
            StreamsConfig.MAIN_CONSUMER_PREFIX,
            StreamsConfig.RESTORE_CONSUMER_PREFIX,
            StreamsConfig.GLOBAL_CONSUMER_PREFIX,
            StreamsConfig.CONSUMER_PREFIX)) {
      if (key.startsWith(prefix)) {
        return ConsumerConfig.configNames().contains(key.substring(prefix.length()));
      }
    }
    if (key.startsWith(StreamsConfig.PRODUCER_PREFIX)) {
      return ProducerConfig.configNames()
          .contains(key.substring(StreamsConfig.PRODUCER_PREFIX.length()));
    }
    if (key.startsWith(StreamsConfig.TOPIC_PREFIX)) {
      return TOPIC_NAMES.contains(key.substring(StreamsConfig.TOPIC_PREFIX.length()));
    }
    if (key.startsWith(StreamsConfig.ADMIN_CLIENT_PREFIX)) {
      return AdminClientConfig.configNames()
          .contains(key.substring(StreamsConfig.ADMIN_CLIENT_PREFIX.length()));
    }
    return KAFKA_NAMES.contains(key);
  }

  /**
   * Whether the sample participants read {@code variable}: the orchestrator's addresses and topic
   * layout, and the faults, for every team or one ({@code SAMPLES_PAYMENT_FAILURE_RATE}). Taken
   * from SampleSettings, which is written on another branch and not on this one's classpath yet.
   */
  static boolean samplesRead(String variable) {
    return Set.of(
                "SAGASTREAM_BOOTSTRAP_SERVERS",
                "SAGASTREAM_SCHEMA_REGISTRY_URL",
                "SAGASTREAM_TOPIC_PREFIX",
                "SAGASTREAM_PARTITIONS",
                "SAGASTREAM_REPLICATION_FACTOR",
                "JAVA_TOOL_OPTIONS")
            .contains(variable)
        || variable.matches(
            "SAMPLES_([A-Z]+_)?(FAILURE_RATE|RETRYABLE_FAILURE_RATE|LATENCY|DOWN_AFTER|DOWN_FOR)");
  }

  /**
   * The node's configuration as Micronaut sees it when the process has {@code variables} as its
   * environment, and the packaged application.yml; nothing from this JVM's own environment.
   */
  static Environment environment(Map<String, String> variables) {
    MapPropertySource asEnvironmentVariables =
        new MapPropertySource("manifest", new HashMap<>(variables)) {
          @Override
          public PropertyConvention getConvention() {
            return PropertyConvention.ENVIRONMENT_VARIABLE;
          }
        };
    Environment environment =
        ApplicationContext.builder()
            .environmentPropertySource(false)
            .propertySources(asEnvironmentVariables)
            .build()
            .getEnvironment();
    environment.start();
    return environment;
  }

  /**
   * The Kafka Streams settings the node passes through when {@code variables} is its environment.
   */
  static Map<String, Object> streamsSettings(Map<String, String> variables) {
    return StreamsPassThrough.from(environment(variables));
  }

  private static Map<String, Setting> settings() {
    Map<String, Setting> settings = new LinkedHashMap<>();
    for (Class<?> type :
        List.of(
            OrchestratorSettings.class,
            TracingSettings.class,
            io.sagastream.app.security.SecuritySettings.class,
            io.sagastream.app.security.JwtSettings.class)) {
      String prefix = type.getAnnotation(ConfigurationProperties.class).value();
      for (Method method : type.getMethods()) {
        boolean setter =
            method.getName().startsWith("set")
                && method.getName().length() > 3
                && method.getParameterCount() == 1
                && !Modifier.isStatic(method.getModifiers());
        if (setter) {
          String property = prefix + "." + kebab(method.getName().substring(3));
          String variable = property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
          boolean size = method.getParameters()[0].isAnnotationPresent(ReadableBytes.class);
          settings.put(
              variable, new Setting(variable, property, method.getParameterTypes()[0], size));
        }
      }
    }
    return Map.copyOf(settings);
  }

  /**
   * A size as Micronaut reads one: bytes, or a number with KB, MB or GB (powers of 1024); empty
   * when it is not one.
   */
  static Optional<Long> bytes(String size) {
    Matcher parts = Pattern.compile("(?i)([0-9]+)(KB|MB|GB)?").matcher(size.trim());
    if (!parts.matches()) {
      return Optional.empty();
    }
    long number = Long.parseLong(parts.group(1));
    String unit = parts.group(2) == null ? "" : parts.group(2).toUpperCase(Locale.ROOT);
    return Optional.of(
        switch (unit) {
          case "KB" -> number << 10;
          case "MB" -> number << 20;
          case "GB" -> number << 30;
          default -> number;
        });
  }

  private static String kebab(String camel) {
    StringBuilder kebab = new StringBuilder();
    for (char c : camel.toCharArray()) {
      if (Character.isUpperCase(c) && !kebab.isEmpty()) {
        kebab.append('-');
      }
      kebab.append(Character.toLowerCase(c));
    }
    return kebab.toString();
  }

  private static Set<String> topicNames() {
    Set<String> names = new HashSet<>();
    for (Field field : TopicConfig.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers())
          && field.getType() == String.class
          && field.getName().endsWith("_CONFIG")) {
        try {
          names.add((String) field.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return Set.copyOf(names);
  }

  private static Set<String> kafkaNames() {
    Set<String> names = new HashSet<>(StreamsConfig.configDef().names());
    names.addAll(ConsumerConfig.configNames());
    names.addAll(ProducerConfig.configNames());
    names.addAll(AdminClientConfig.configNames());
    return Set.copyOf(names);
  }
}
