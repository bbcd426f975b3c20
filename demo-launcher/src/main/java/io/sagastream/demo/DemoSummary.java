package io.sagastream.demo;

import io.sagastream.samples.OrderFulfilment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the demo ran and how it went, from the journal, and where to look.
 *
 * @param requested sagas the load was asked to start
 * @param accepted sagas whose start the API accepted
 * @param refused calls the API refused or did not answer
 * @param journal the journal's figures at the end
 * @param wallTime from the demo's start to the summary
 */
record DemoSummary(
    int requested,
    int accepted,
    int refused,
    Optional<String> firstRefusal,
    JournalTally journal,
    Duration wallTime,
    Where where) {

  /** Addresses to look at while the demo runs. */
  record Where(
      List<String> nodeUrls, String kafka, String registry, String topicPrefix, Path log) {}

  int completed() {
    return journal.completed();
  }

  int compensated() {
    return journal.compensated();
  }

  int failed() {
    return journal.failed();
  }

  /** Accepted sagas the journal has not seen end. */
  int stillRunning() {
    return Math.max(0, accepted - journal.ended());
  }

  /** Whether every saga asked for was accepted and has ended. */
  boolean allEnded() {
    return refused == 0 && accepted == requested && stillRunning() == 0;
  }

  String render() {
    StringBuilder text = new StringBuilder();
    line(text, "");
    line(
        text,
        "Summary of %d %s sagas (from the journal, topic %ssaga.events)",
        requested,
        OrderFulfilment.NAME,
        where.topicPrefix());
    line(text, "  completed      %6d", completed());
    line(
        text,
        "  compensated    %6d   a step failed for good; the steps before it were undone",
        compensated());
    line(text, "  failed         %6d   a compensation could not finish: an incident", failed());
    if (stillRunning() > 0) {
      line(text, "  still running  %6d", stillRunning());
    }
    if (refused > 0) {
      line(text, "  refused        %6d   by the API, first: %s", refused, firstRefusal.orElse("?"));
    }
    line(
        text,
        "  steps          %6d   commands to participants, %.1f per second",
        journal.commands(),
        journal.commandsPerSecond());
    line(
        text,
        "  retries        %6d   (%d attempts timed out)",
        journal.retries(),
        journal.timeouts());
    line(
        text,
        "  saga latency     p50 %s, p99 %s   (SagaStarted to its terminal event)",
        seconds(journal.latencyPercentile(0.50)),
        seconds(journal.latencyPercentile(0.99)));
    line(
        text,
        "  duration         %s from the first start to the last end, %s in all",
        seconds(
            journal
                .firstStart()
                .flatMap(start -> journal.lastEvent().map(end -> Duration.between(start, end)))),
        seconds(Optional.of(wallTime)));
    line(text, "");
    line(text, "Where to look (while the demo runs; --keep-running keeps it up):");
    for (int i = 0; i < where.nodeUrls().size(); i++) {
      line(text, "  orchestrator node %d  %s", i + 1, where.nodeUrls().get(i));
    }
    String first = where.nodeUrls().get(0);
    line(
        text,
        "  compensated sagas    %s/sagas?status=COMPENSATED&definition=%s&limit=10",
        first,
        OrderFulfilment.NAME);
    line(
        text,
        "  one saga             %s/sagas/%s/%s",
        first,
        DemoOrders.key(1),
        OrderFulfilment.NAME);
    line(text, "  metrics              %s/prometheus", first);
    line(text, "  Kafka                %s, topics prefixed %s", where.kafka(), where.topicPrefix());
    line(text, "  schema registry      %s", where.registry());
    line(text, "  log                  %s", where.log());
    return text.toString();
  }

  private static String seconds(Optional<Duration> duration) {
    return duration
        .map(d -> String.format(Locale.ROOT, "%.2f s", d.toMillis() / 1000.0))
        .orElse("-");
  }

  private static void line(StringBuilder text, String format, Object... args) {
    text.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
  }
}
