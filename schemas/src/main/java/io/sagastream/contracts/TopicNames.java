package io.sagastream.contracts;

import java.util.regex.Pattern;

/**
 * Kafka's rule for topic names, checked where a name comes from input (a definition, a command's
 * {@code reply-to} header) so that a bad one is refused there rather than failing a producer's
 * transaction, which would abort everything else sent in it.
 */
public final class TopicNames {

  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

  private TopicNames() {}

  /** Whether Kafka would take {@code topic} as a topic's name. */
  public static boolean isValid(String topic) {
    return topic != null
        && TOPIC.matcher(topic).matches()
        && !topic.equals(".")
        && !topic.equals("..");
  }
}
