package io.sagastream.topology;

/** The orchestrator's topics are missing or not co-partitioned: the node must not start. */
public class TopicLayoutException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TopicLayoutException(String message) {
    super(message);
  }

  /** With Kafka's error as the cause, so that a refusal (a login, an ACL) can be told apart. */
  public TopicLayoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
