package io.sagastream.bench;

import java.lang.management.ManagementFactory;
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

  /** The totals now, the nodes' producers being those whose client id starts with {@code app}. */
  static ClientTotals now(String app) {
    double records = 0;
    double commitNanos = 0;
    double retries = 0;
    double otherRetries = 0;
    for (ObjectName name : query("kafka.producer:type=producer-metrics,*")) {
      String client = name.getKeyProperty("client-id");
      if (client != null && client.startsWith(app)) {
        records += total(name, "record-send-total");
        commitNanos += total(name, "txn-commit-time-ns-total");
        retries += total(name, "record-retry-total");
      } else {
        otherRetries += total(name, "record-retry-total");
      }
    }
    double blockedNanos = 0;
    for (ObjectName name : query("kafka.streams:type=stream-thread-metrics,*")) {
      String thread = name.getKeyProperty("thread-id");
      if (thread != null && thread.startsWith(app)) {
        blockedNanos += total(name, "blocked-time-ns-total");
      }
    }
    return new ClientTotals(records, commitNanos, blockedNanos, retries, otherRetries);
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
