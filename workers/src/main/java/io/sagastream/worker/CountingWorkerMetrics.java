package io.sagastream.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The worker's counters. Written by the polling thread, read from any thread; the per-command
 * counts of a batch wait in a {@link Tally} until its transaction commits.
 */
final class CountingWorkerMetrics implements WorkerMetrics {

  private final Map<String, TopicCounters> byTopic;
  private final LongAdder abortedTransactions = new LongAdder();
  private final LongAdder producerRestarts = new LongAdder();
  private final LongAdder batchesCutShort = new LongAdder();

  CountingWorkerMetrics(Set<String> topics) {
    this.byTopic =
        topics.stream()
            .collect(Collectors.toUnmodifiableMap(Function.identity(), t -> new TopicCounters()));
  }

  @Override
  public Set<String> topics() {
    return byTopic.keySet();
  }

  @Override
  public long commandsHandled(String topic, Outcome outcome) {
    TopicCounters counters = byTopic.get(topic);
    return counters == null ? 0 : counters.handled.get(outcome).sum();
  }

  @Override
  public long unreadableCommands(String topic) {
    TopicCounters counters = byTopic.get(topic);
    return counters == null ? 0 : counters.unreadable.sum();
  }

  @Override
  public long skippedCommands(String topic) {
    TopicCounters counters = byTopic.get(topic);
    return counters == null ? 0 : counters.skipped.sum();
  }

  @Override
  public HandlerLatency handlerLatency(String topic) {
    TopicCounters counters = byTopic.get(topic);
    if (counters == null) {
      return HandlerLatency.NONE;
    }
    return new HandlerLatency(
        counters.calls.sum(),
        Duration.ofNanos(counters.totalNanos.sum()),
        Duration.ofNanos(counters.maxNanos.get()));
  }

  @Override
  public long abortedTransactions() {
    return abortedTransactions.sum();
  }

  @Override
  public long producerRestarts() {
    return producerRestarts.sum();
  }

  void handlerCalled(String topic, long nanos) {
    TopicCounters counters = byTopic.get(topic);
    counters.calls.increment();
    counters.totalNanos.add(nanos);
    counters.maxNanos.accumulate(nanos);
  }

  @Override
  public long batchesCutShort() {
    return batchesCutShort.sum();
  }

  void batchCutShort() {
    batchesCutShort.increment();
  }

  void transactionAborted() {
    abortedTransactions.increment();
  }

  void producerRestarted() {
    producerRestarts.increment();
  }

  Tally tally() {
    return new Tally();
  }

  /** One batch's counts, applied when its transaction commits and dropped when it aborts. */
  final class Tally {

    private final List<Runnable> pending = new ArrayList<>();

    void handled(String topic, Outcome outcome) {
      pending.add(() -> byTopic.get(topic).handled.get(outcome).increment());
    }

    void unreadable(String topic) {
      pending.add(() -> byTopic.get(topic).unreadable.increment());
    }

    void skipped(String topic) {
      pending.add(() -> byTopic.get(topic).skipped.increment());
    }

    void committed() {
      pending.forEach(Runnable::run);
      pending.clear();
    }
  }

  private static final class TopicCounters {
    final Map<Outcome, LongAdder> handled = new EnumMap<>(Outcome.class);
    final LongAdder unreadable = new LongAdder();
    final LongAdder skipped = new LongAdder();
    final LongAdder calls = new LongAdder();
    final LongAdder totalNanos = new LongAdder();
    final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);

    TopicCounters() {
      for (Outcome outcome : Outcome.values()) {
        handled.put(outcome, new LongAdder());
      }
    }
  }
}
