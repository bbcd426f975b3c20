package io.sagastream.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures an operator looks at first, for one node or summed over the group: instances by
 * definition and status, open instances by version, sagas started and ended in the last minutes,
 * dead letters, incidents, timers and their lateness.
 *
 * @param instances instance counts as of each task's last recovery scan
 * @param openByVersion instances that have not ended, by definition and version
 * @param activity sagas started and ended per {@link RecentActivity#BUCKET}, oldest first
 * @param deadLetters inputs sent to dead letters since each node started, by reason
 * @param incidentsRaised incidents raised since each node started
 * @param timersPending timers waiting to fire
 * @param timerLateness how long after their due time timers fired
 * @param nodes the nodes whose figures these are
 * @param unanswered the nodes that were asked and did not answer: their figures are missing
 */
record Overview(
    List<InstanceCount> instances,
    List<VersionCount> openByVersion,
    List<RecentActivity.Bucket> activity,
    Map<String, Long> deadLetters,
    long incidentsRaised,
    long timersPending,
    Lateness timerLateness,
    List<String> nodes,
    List<String> unanswered) {

  record InstanceCount(String definition, String status, long count) {}

  record VersionCount(String definition, int version, long count) {}

  /**
   * @param count timers fired
   * @param meanMillis their mean lateness
   * @param maxMillis the largest lateness of the last minute or so (Micrometer's decaying max)
   */
  record Lateness(long count, double meanMillis, double maxMillis) {}

  /** The figures of several nodes as one: counts add up, lateness is weighted by timers fired. */
  static Overview merge(List<Overview> parts, List<String> unanswered) {
    Map<String, Map<String, Long>> instances = new TreeMap<>();
    Map<String, Map<Integer, Long>> versions = new TreeMap<>();
    Map<String, RecentActivity.Bucket> activity = new TreeMap<>();
    Map<String, Long> deadLetters = new TreeMap<>();
    long incidents = 0;
    long timers = 0;
    long fired = 0;
    double totalLateness = 0;
    double maxLateness = 0;
    List<String> nodes = new ArrayList<>();
    for (Overview part : parts) {
      part.instances.forEach(
          c ->
              instances
                  .computeIfAbsent(c.definition(), d -> new LinkedHashMap<>())
                  .merge(c.status(), c.count(), Long::sum));
      part.openByVersion.forEach(
          c ->
              versions
                  .computeIfAbsent(c.definition(), d -> new TreeMap<>())
                  .merge(c.version(), c.count(), Long::sum));
      part.activity.forEach(b -> activity.merge(b.start(), b, RecentActivity.Bucket::plus));
      part.deadLetters.forEach((reason, count) -> deadLetters.merge(reason, count, Long::sum));
      incidents += part.incidentsRaised;
      timers += part.timersPending;
      fired += part.timerLateness.count();
      totalLateness += part.timerLateness.meanMillis() * part.timerLateness.count();
      maxLateness = Math.max(maxLateness, part.timerLateness.maxMillis());
      nodes.addAll(part.nodes);
    }
    List<InstanceCount> instanceCounts = new ArrayList<>();
    instances.forEach(
        (definition, byStatus) ->
            byStatus.forEach(
                (status, count) ->
                    instanceCounts.add(new InstanceCount(definition, status, count))));
    List<VersionCount> versionCounts = new ArrayList<>();
    versions.forEach(
        (definition, byVersion) ->
            byVersion.forEach(
                (version, count) ->
                    versionCounts.add(new VersionCount(definition, version, count))));
    return new Overview(
        instanceCounts,
        versionCounts,
        List.copyOf(activity.values()),
        deadLetters,
        incidents,
        timers,
        new Lateness(fired, fired == 0 ? 0 : totalLateness / fired, maxLateness),
        nodes,
        List.copyOf(unanswered));
  }
}
