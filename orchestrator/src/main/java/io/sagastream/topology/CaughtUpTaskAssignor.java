package io.sagastream.topology;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.assignment.ApplicationState;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsAssignment;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsAssignment.AssignedTask;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsState;
import org.apache.kafka.streams.processor.assignment.ProcessId;
import org.apache.kafka.streams.processor.assignment.TaskAssignor;
import org.apache.kafka.streams.processor.assignment.TaskInfo;
import org.apache.kafka.streams.processor.assignment.assignors.StickyTaskAssignor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' sticky assignment, except that an active task goes only to a node caught up with
 * its state (within {@code acceptable.recovery.lag}) while another node is. The sticky assignor
 * balances without looking at state: a node back from a kill -9, whose stores exactly-once
 * processing wipes, was given active tasks at once and restored them from the beginning of their
 * changelogs while their partitions waited (2.4 s in a system test with 3000 sagas; minutes for a
 * production-sized store). Such a node now holds the task as a standby, catching up, and a
 * follow-up rebalance gives it its share once it has.
 */
public final class CaughtUpTaskAssignor implements TaskAssignor {

  private static final Logger LOG = LoggerFactory.getLogger(CaughtUpTaskAssignor.class);

  /** How soon a node catching up is looked at again. */
  static final Duration CATCH_UP_CHECK = Duration.ofSeconds(5);

  /** The lag Kafka Streams reports for a task the node runs. */
  private static final long RUNNING = -2;

  private final TaskAssignor sticky;
  private final Clock clock;

  public CaughtUpTaskAssignor() {
    this(new StickyTaskAssignor(), Clock.systemUTC());
  }

  CaughtUpTaskAssignor(TaskAssignor sticky, Clock clock) {
    this.sticky = sticky;
    this.clock = clock;
  }

  @Override
  public TaskAssignment assign(ApplicationState application) {
    TaskAssignment proposed = sticky.assign(application);
    Map<ProcessId, KafkaStreamsAssignment> assignments = new LinkedHashMap<>();
    proposed.assignment().forEach(a -> assignments.put(a.processId(), a));
    Map<ProcessId, KafkaStreamsState> nodes;
    try {
      nodes = application.kafkaStreamsStates(true);
    } catch (RuntimeException lagsUnknown) {
      LOG.warn("Task lags unknown, the sticky assignment stands: {}", lagsUnknown.toString());
      return proposed;
    }
    long acceptableLag = application.assignmentConfigs().acceptableRecoveryLag();
    List<TaskId> catchingUp = new ArrayList<>();
    for (TaskInfo task : application.allTasks().values()) {
      if (task.isStateful() && moveToCaughtUp(task.id(), assignments, nodes, acceptableLag)) {
        catchingUp.add(task.id());
      }
    }
    if (catchingUp.isEmpty()) {
      return proposed;
    }
    LOG.info(
        "Tasks {} stay active where their state is while the nodes given them catch up; looking"
            + " again in {}",
        catchingUp,
        CATCH_UP_CHECK);
    ProcessId first = assignments.keySet().iterator().next();
    assignments.put(
        first, assignments.get(first).withFollowupRebalance(clock.instant().plus(CATCH_UP_CHECK)));
    return new TaskAssignment(assignments.values());
  }

  /**
   * Gives the task's active role to the node nearest its state when the proposed one is not caught
   * up, and the proposed node a standby of it to catch up with; returns whether it moved.
   */
  private static boolean moveToCaughtUp(
      TaskId task,
      Map<ProcessId, KafkaStreamsAssignment> assignments,
      Map<ProcessId, KafkaStreamsState> nodes,
      long acceptableLag) {
    Optional<ProcessId> proposed =
        assignments.values().stream()
            .filter(a -> roleOf(a, task) == AssignedTask.Type.ACTIVE)
            .map(KafkaStreamsAssignment::processId)
            .findFirst();
    if (proposed.isEmpty() || caughtUp(lag(nodes.get(proposed.get()), task), acceptableLag)) {
      return false;
    }
    Optional<ProcessId> nearest =
        nodes.values().stream()
            .filter(node -> assignments.containsKey(node.processId()))
            .filter(node -> caughtUp(lag(node, task), acceptableLag))
            .min(Comparator.comparingLong((KafkaStreamsState node) -> rank(lag(node, task))))
            .map(KafkaStreamsState::processId);
    if (nearest.isEmpty()) {
      return false;
    }
    KafkaStreamsAssignment from = assignments.get(proposed.get());
    KafkaStreamsAssignment to = assignments.get(nearest.get());
    from.removeTask(new AssignedTask(task, AssignedTask.Type.ACTIVE));
    from.assignTask(new AssignedTask(task, AssignedTask.Type.STANDBY));
    to.removeTask(new AssignedTask(task, AssignedTask.Type.STANDBY));
    to.assignTask(new AssignedTask(task, AssignedTask.Type.ACTIVE));
    return true;
  }

  private static AssignedTask.Type roleOf(KafkaStreamsAssignment assignment, TaskId task) {
    AssignedTask assigned = assignment.tasks().get(task);
    return assigned == null ? null : assigned.type();
  }

  /**
   * The node's lag on the task's changelogs. Kafka Streams reports a task the node runs as -2 and
   * one whose offsets the node did not report as -3; both count as caught up. A node without a lag
   * for the task counts as furthest behind.
   */
  private static long lag(KafkaStreamsState node, TaskId task) {
    if (node == null) {
      return Long.MAX_VALUE;
    }
    try {
      return node.lagFor(task);
    } catch (RuntimeException unknown) {
      return Long.MAX_VALUE;
    }
  }

  /** The node running the task first, then the least behind, then those that did not say. */
  private static long rank(long lag) {
    if (lag == RUNNING) {
      return -1;
    }
    return lag < 0 ? Long.MAX_VALUE - 1 : lag;
  }

  private static boolean caughtUp(long lag, long acceptableLag) {
    return lag <= acceptableLag;
  }
}
