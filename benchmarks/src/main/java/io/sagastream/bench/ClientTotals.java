package io.sagastream.bench;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Running totals of this process's Kafka clients, read from their JMX metrics: the nodes' (their
 * stream threads and those threads' transactional producers) apart from everyone else's
 * (participants, load generator). They tell what the journal cannot: how many records a step really
 * writes, how long the stream threads wait in transaction commits and on Kafka at all, and how
 * often sends are retried.
 */
record ClientTotals(
    double nodeRecords,
    double nodeCommitNanos,
    double nodeBlockedNanos,
    double nodeRetries,
    double otherRetries) {

  private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

  /**
   * The producer metrics whose sum is the time a stream thread waits in its producer: sends waiting
   * for buffer space or metadata, and the transaction calls.
   */
  private static final List<String> PRODUCER_WAITS =
      List.of(
          "bufferpool-wait-time-ns-total",
          "metadata-wait-time-ns-total",
          "flush-time-ns-total",
          "txn-begin-time-ns-total",
          "txn-send-offsets-time-ns-total",
          "txn-commit-time-ns-total",
          "txn-abort-time-ns-total");

  /**
   * The totals now; the nodes' clients are those whose client id starts with {@code app}. Time
   * blocked on Kafka is counted here rather than read from Kafka Streams' {@code
   * blocked-time-ns-total}, which also adds the restore consumer's waits: with standbys that
   * consumer polls on a thread of its own, and the figure came to more than the whole window.
   */
  static ClientTotals now(String app) {
    double records = 0;
    double commitNanos = 0;
    double blockedNanos = 0;
    double retries = 0;
    double otherRetries = 0;
    for (ObjectName name : query("kafka.producer:type=producer-metrics,*")) {
      String client = name.getKeyProperty("client-id");
      if (client != null && client.startsWith(app)) {
        records += total(name, "record-send-total");
        commitNanos += total(name, "txn-commit-time-ns-total");
        for (String wait : PRODUCER_WAITS) {
          blockedNanos += total(name, wait);
        }
        retries += total(name, "record-retry-total");
      } else {
        otherRetries += total(name, "record-retry-total");
      }
    }
    for (ObjectName name : query("kafka.consumer:type=consumer-metrics,*")) {
      String client = name.getKeyProperty("client-id");
      if (client != null && client.startsWith(app) && isMainConsumer(client)) {
        blockedNanos += total(name, "io-wait-time-ns-total");
      }
    }
    return new ClientTotals(records, commitNanos, blockedNanos, retries, otherRetries);
  }

  /** The stream thread's own consumer, not its restore consumer nor a node's other consumers. */
  static boolean isMainConsumer(String clientId) {
    return clientId.contains("-StreamThread-")
        && clientId.endsWith("-consumer")
        && !clientId.endsWith("-restore-consumer");
  }

  /** What was added since {@code start}. A producer closed in between loses its share. */
  ClientTotals since(ClientTotals start) {
    return new ClientTotals(
        nodeRecords - start.nodeRecords,
        nodeCommitNanos - start.nodeCommitNanos,
        nodeBlockedNanos - start.nodeBlockedNanos,
        nodeRetries - start.nodeRetries,
        otherRetries - start.otherRetries);
  }

  /** Both processes' totals: a node's own JVM and the benchmark's. */
  ClientTotals plus(ClientTotals other) {
    return new ClientTotals(
        nodeRecords + other.nodeRecords,
        nodeCommitNanos + other.nodeCommitNanos,
        nodeBlockedNanos + other.nodeBlockedNanos,
        nodeRetries + other.nodeRetries,
        otherRetries + other.otherRetries);
  }

  /** The totals as one comma-separated field, which {@link #decode} reads back. */
  String encode() {
    return nodeRecords
        + ","
        + nodeCommitNanos
        + ","
        + nodeBlockedNanos
        + ","
        + nodeRetries
        + ","
        + otherRetries;
  }

  static ClientTotals decode(String field) {
    String[] totals = field.split(",");
    if (totals.length != 5) {
      throw new IllegalArgumentException("Not five client totals: " + field);
    }
    return new ClientTotals(
        Double.parseDouble(totals[0]),
        Double.parseDouble(totals[1]),
        Double.parseDouble(totals[2]),
        Double.parseDouble(totals[3]),
        Double.parseDouble(totals[4]));
  }

  private static Set<ObjectName> query(String pattern) {
    try {
      return SERVER.queryNames(new ObjectName(pattern), null);
    } catch (JMException e) {
      return Set.of();
    }
  }

  private static double total(ObjectName name, String attribute) {
    try {
      return SERVER.getAttribute(name, attribute) instanceof Number number
          ? number.doubleValue()
          : 0;
    } catch (JMException e) {
      // A producer closed between the query and the read, or a metric this client lacks.
      return 0;
    }
  }
}
