package io.sagastream.app;

import io.micronaut.core.value.PropertyResolver;
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

  /** The settings under {@link #PREFIX}, keyed as Kafka names them, in key order. */
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
    return settings;
  }
}
