package io.sagastream.app;

import io.micronaut.core.value.PropertyResolver;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kafka Streams settings a node passes through unchanged: everything under {@code
 * kafka.streams.default.*}, from the configuration file, {@code -D} system properties and
 * environment variables alike ({@code KAFKA_STREAMS_DEFAULT_CLIENT_TAG_ZONE} is {@code
 * client.tag.zone}).
 *
 * <p>Read with {@link PropertyResolver#getProperties(String)} rather than an injected map: such a
 * map comes out empty as soon as the configuration file names {@code kafka.streams.default} at all,
 * and never holds environment variables. Micronaut reads an environment variable under every
 * spelling of its underscores as dots or dashes; Kafka's settings have no dashes, so a key with a
 * dash is dropped when the same key with dots is there too.
 */
public final class StreamsPassThrough {

  /** Where the passed-through settings live. */
  public static final String PREFIX = "kafka.streams.default";

  private StreamsPassThrough() {}

  /**
   * Settings the node's other clients (topic preparation, the API's producer, the failover watch)
   * must agree with Kafka Streams on, and so take from the node's own setting. Passed through, they
   * reached Kafka Streams alone: a node whose group its peers could not find, or could not fence,
   * fell back from a second's failover to the session timeout without a word.
   */
  private static final Map<String, String> THE_NODES_OWN =
      Map.of(
          "application.id", "sagastream.application-id",
          "bootstrap.servers", "sagastream.bootstrap-servers",
          "group.instance.id", "sagastream.group-instance-id");

  /**
   * The settings under {@link #PREFIX}, keyed as Kafka names them, in key order.
   *
   * @throws IllegalArgumentException for a setting the node takes from a setting of its own
   */
  public static Map<String, Object> from(PropertyResolver properties) {
    Map<String, Object> all = properties.getProperties(PREFIX);
    Map<String, Object> settings = new TreeMap<>();
    all.forEach(
        (key, value) -> {
          boolean otherSpelling = key.indexOf('-') >= 0 && all.containsKey(key.replace('-', '.'));
          if (!otherSpelling) {
            settings.put(key, value);
          }
        });
    settings.forEach((key, value) -> refuseTheNodesOwn(key, value, properties));
    return settings;
  }

  /**
   * Refuses {@code key} when it is one the node owns, or ends in one ({@code
   * main.consumer.group.instance.id}), and its value is not the node's own.
   */
  private static void refuseTheNodesOwn(String key, Object value, PropertyResolver properties) {
    THE_NODES_OWN.forEach(
        (owned, nodeSetting) -> {
          String own = properties.getProperty(nodeSetting, String.class).orElse("").trim();
          boolean theSame = String.valueOf(value).trim().equals(own);
          if ((key.equals(owned) || key.endsWith("." + owned)) && !theSame) {
            throw new IllegalArgumentException(
                PREFIX
                    + "."
                    + key
                    + " is not the node's own "
                    + nodeSetting
                    + " ('"
                    + own
                    + "'), which its other clients use: set "
                    + variable(nodeSetting)
                    + " ("
                    + nodeSetting
                    + ") instead");
          }
        });
  }

  /** {@code sagastream.group-instance-id} as its environment variable. */
  private static String variable(String setting) {
    return setting.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }
}
