package io.sagastream.topology;

import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's start on a thread of its own: prepare the topics, then start Kafka Streams. Until the
 * topics are as they must be the node stays up and not ready, and tries again after a pause that
 * grows to {@link #MAX_PAUSE}, so that wrong credentials, a missing ACL or topics that do not exist
 * yet are healed from the Kafka side (a password set, an ACL granted, the topics job done) without
 * a restart, and no setting sends the node into a crash loop.
 */
public final class NodeStartup implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NodeStartup.class);

  static final Duration MAX_PAUSE = Duration.ofSeconds(10);
  static final DoublingPause PAUSE = new DoublingPause(Duration.ofMillis(500), MAX_PAUSE);

  /** Prepares the topics: throws (a {@link TopicLayoutException}) while they are not usable. */
  interface Preparation {
    void prepare();
  }

  private final KafkaStreams streams;
  private final Preparation preparation;
  private final KafkaAccess access;
  private final Thread thread;
  private volatile String problem = "preparing the topics";
  private volatile String startFailure;
  private volatile boolean closed;

  NodeStartup(KafkaStreams streams, Preparation preparation, KafkaAccess access) {
    this.streams = streams;
    this.preparation = preparation;
    this.access = access;
    this.thread = new Thread(this::run, "sagastream-node-start");
    thread.setDaemon(true);
  }

  NodeStartup begin() {
    thread.start();
    return this;
  }

  /** The node's Kafka Streams: not started until the topics are prepared. */
  public KafkaStreams streams() {
    return streams;
  }

  /** Why Kafka Streams has not started yet; empty once it has. */
  public Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  /** Why Kafka Streams could not start once its topics were prepared; then only a restart helps. */
  public Optional<String> startFailure() {
    return Optional.ofNullable(startFailure);
  }

  private void run() {
    for (int attempt = 1; !closed; attempt++) {
      try {
        preparation.prepare();
        access.forget();
        break;
      } catch (RuntimeException e) {
        if (closed) {
          return; // interrupted by the node's shutdown
        }
        // TopicLayoutException, or Kafka's own (a bootstrap address not resolvable yet)
        report(e, attempt);
      }
      try {
        Thread.sleep(PAUSE.after(attempt).toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
    try {
      startStreams();
    } catch (RuntimeException e) {
      // A KafkaStreams cannot be started twice, so trying again would only repeat that it was
      // started already; the liveness reports this instead, and the node is restarted.
      startFailure = e.toString();
      problem = "Kafka Streams did not start: " + e;
      LOG.error("Kafka Streams did not start; the node needs a restart", e);
    }
  }

  private synchronized void startStreams() {
    if (closed) {
      return;
    }
    streams.start();
    problem = null;
    LOG.info("Topics prepared; Kafka Streams started");
  }

  /**
   * A refusal is logged by {@link KafkaAccess}, which the readiness reports; anything else here,
   * the first time and every tenth after.
   */
  private void report(RuntimeException e, int attempt) {
    Optional<KafkaException> refusal = KafkaAccess.refusalIn(e);
    if (refusal.isPresent()) {
      problem = access.record(refusal.get()).message() + ". At start-up: " + e.getMessage();
      return;
    }
    problem = e instanceof TopicLayoutException ? e.getMessage() : e.toString();
    if (attempt == 1 || attempt % 10 == 0) {
      LOG.error(
          "The node cannot start: {} (tried {} time(s); not ready, tries again)", problem, attempt);
    }
  }

  /** Stops trying; Kafka Streams is closed by its owner. */
  @Override
  public synchronized void close() {
    closed = true;
    thread.interrupt();
  }
}
