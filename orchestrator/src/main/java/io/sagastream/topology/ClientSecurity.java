package io.sagastream.topology;

import java.util.Map;
import java.util.TreeMap;

/**
 * The settings every Kafka client of a node needs to reach a secured cluster ({@code
 * security.protocol}, {@code sasl.*}, {@code ssl.*}), taken from the Kafka Streams settings, so
 * that the node's own producer and admin clients connect the way Kafka Streams does.
 */
public final class ClientSecurity {

  private ClientSecurity() {}

  /** The security settings among {@code streamsSettings}; values (passwords too) unchanged. */
  public static Map<String, Object> of(Map<String, ?> streamsSettings) {
    Map<String, Object> security = new TreeMap<>();
    if (streamsSettings != null) {
      streamsSettings.forEach(
          (key, value) -> {
            if (value != null
                && (key.equals("security.protocol")
                    || key.startsWith("sasl.")
                    || key.startsWith("ssl."))) {
              security.put(key, value);
            }
          });
    }
    return security;
  }
}
