package io.sagastream.topology;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedSet;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.assignment.ApplicationState;
import org.apache.kafka.streams.processor.assignment.AssignmentConfigs;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsAssignment;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsAssignment.AssignedTask;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsState;
import org.apache.kafka.streams.processor.assignment.ProcessId;
import org.apache.kafka.streams.processor.assignment.TaskAssignor;
import org.apache.kafka.streams.processor.assignment.TaskInfo;
import org.apache.kafka.streams.processor.assignment.assignors.StickyTaskAssignor;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' sticky assignment, except that an active task goes only to a node caught up with
 * its state (within {@code acceptable.recovery.lag}) while another node is. The sticky assignor
 * balances without looking at state, so a node back from a kill -9, whose stores exactly-once
 * processing wipes, was given active tasks at once and their partitions waited while it restored
 * them from the beginning of their changelogs (see docs/decisions.md). Such a node now holds the
 * task as a standby, catching up, and a follow-up rebalance gives it its share once it has.
 *
 * <p>The sticky assignor is shown every node with one stream thread, so that it balances tasks over
 * nodes rather than threads. By threads, a node that held no more tasks than it has threads counted
 * as not overloaded, so with fewer tasks than threads in the group a node back from a restart got
 * none of its tasks back, and its peer kept them all.
 *
 * <p>Standbys are spread over the zones that {@code rack.aware.assignment.tags} names ({@link
 * StandbyZones}), which the sticky assignor does not do.
 */
public final class CaughtUpTaskAssignor implements TaskAssignor {

  private static final Logger LOG = LoggerFactory.getLogger(CaughtUpTaskAssignor.class);

  /**
   * How soon a node catching up is looked at again, at the least: a standby restores a small
   * store's tasks in a second or two, and the node should take its share soon after.
   */
  static final Duration CATCH_UP_CHECK = Duration.ofSeconds(5);

  /**
   * How long at most: a node behind on a large store, or one that cannot keep up, should not cost
   * the group a rebalance every few seconds.
   */
  static final Duration LONGEST_CHECK = Duration.ofMinutes(2);

  /**
   * Changelog records a standby is counted on to restore per second when the next look is planned:
   * a fifth of what the benchmark's restore read on one node (1.1M records in 4.5 s).
   */
  static final long RESTORED_PER_SECOND = 50_000;

  /** The lag Kafka Streams reports for a task the node runs. */
  private static final long RUNNING = -2;

  /**
   * The lag Kafka Streams reports when it does not know one: the node did not report its offsets,
   * or the leader could not read the changelogs' end offsets.
   */
  private static final long UNKNOWN = -3;

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
    TaskAssignment proposed = sticky.assign(new OneThreadPerNode(application));
    Map<ProcessId, KafkaStreamsAssignment> assignments = new LinkedHashMap<>();
    proposed.assignment().forEach(a -> assignments.put(a.processId(), a));
    spreadStandbysOverZones(application, assignments);
    Map<ProcessId, KafkaStreamsState> nodes;
    try {
      nodes = application.kafkaStreamsStates(true);
    } catch (RuntimeException lagsUnknown) {
      LOG.warn("Task lags unknown, the sticky assignment stands: {}", lagsUnknown.toString());
      return proposed;
    }
    long acceptableLag = application.assignmentConfigs().acceptableRecoveryLag();
    List<TaskId> catchingUp = new ArrayList<>();
    long furthestBehind = 0;
    for (TaskInfo task : application.allTasks().values()) {
      if (task.isStateful()) {
        OptionalLong behind = moveToCaughtUp(task.id(), assignments, nodes, acceptableLag);
        if (behind.isPresent()) {
          catchingUp.add(task.id());
          furthestBehind = Math.max(furthestBehind, behind.getAsLong());
        }
      }
    }
    if (catchingUp.isEmpty()) {
      return proposed;
    }
    Duration wait = nextCheck(furthestBehind);
    LOG.info(
        "Tasks {} stay active where their state is while the nodes given them catch up (up to {}"
            + " records behind); looking again in {}",
        catchingUp,
        furthestBehind,
        wait);
    // A rebalance asked for by any member assigns the whole group again.
    ProcessId anyMember = assignments.keySet().iterator().next();
    assignments.put(
        anyMember, assignments.get(anyMember).withFollowupRebalance(clock.instant().plus(wait)));
    return new TaskAssignment(assignments.values());
  }

  private static void spreadStandbysOverZones(
      ApplicationState application, Map<ProcessId, KafkaStreamsAssignment> assignments) {
    List<String> tags = application.assignmentConfigs().rackAwareAssignmentTags();
    int moved = StandbyZones.spread(tags, application.kafkaStreamsStates(false), assignments);
    if (moved > 0) {
      LOG.info("Moved {} standby task(s) away from their task's other copies' {}", moved, tags);
    }
  }

  /** About when the node furthest behind should have caught up, within the bounds. */
  static Duration nextCheck(long recordsBehind) {
    Duration restore = Duration.ofSeconds(recordsBehind / RESTORED_PER_SECOND);
    if (restore.compareTo(CATCH_UP_CHECK) < 0) {
      return CATCH_UP_CHECK;
    }
    return restore.compareTo(LONGEST_CHECK) > 0 ? LONGEST_CHECK : restore;
  }

  /**
   * Gives the task's active role to the node nearest its state when the proposed one is not caught
   * up, and the proposed node a standby of it to catch up with; returns how far behind that node is
   * when the task moved.
   */
  private static OptionalLong moveToCaughtUp(
      TaskId task,
      Map<ProcessId, KafkaStreamsAssignment> assignments,
      Map<ProcessId, KafkaStreamsState> nodes,
      long acceptableLag) {
    Optional<ProcessId> proposed =
        assignments.values().stream()
            .filter(a -> roleOf(a, task) == AssignedTask.Type.ACTIVE)
            .map(KafkaStreamsAssignment::processId)
            .findFirst();
    if (proposed.isEmpty()) {
      return OptionalLong.empty();
    }
    long proposedLag = lag(nodes.get(proposed.get()), task);
    if (caughtUp(proposedLag, acceptableLag)) {
      return OptionalLong.empty();
    }
    Optional<ProcessId> nearest =
        nodes.values().stream()
            .filter(node -> assignments.containsKey(node.processId()))
            .filter(node -> caughtUp(lag(node, task), acceptableLag))
            .min(Comparator.comparingLong((KafkaStreamsState node) -> rank(lag(node, task))))
            .map(KafkaStreamsState::processId);
    if (nearest.isEmpty()) {
      return OptionalLong.empty();
    }
    KafkaStreamsAssignment from = assignments.get(proposed.get());
    KafkaStreamsAssignment to = assignments.get(nearest.get());
    from.removeTask(new AssignedTask(task, AssignedTask.Type.ACTIVE));
    from.assignTask(new AssignedTask(task, AssignedTask.Type.STANDBY));
    to.removeTask(new AssignedTask(task, AssignedTask.Type.STANDBY));
    to.assignTask(new AssignedTask(task, AssignedTask.Type.ACTIVE));
    return OptionalLong.of(proposedLag);
  }

  private static AssignedTask.Type roleOf(KafkaStreamsAssignment assignment, TaskId task) {
    AssignedTask assigned = assignment.tasks().get(task);
    return assigned == null ? null : assigned.type();
  }

  /**
   * The node's lag on the task's changelogs; {@link #RUNNING} and {@link #UNKNOWN} count as caught
   * up, as in Kafka Streams' high-availability assignor. A node without a lag for the task counts
   * as furthest behind.
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
    return lag == UNKNOWN ? Long.MAX_VALUE - 1 : lag;
  }

  private static boolean caughtUp(long lag, long acceptableLag) {
    return lag <= acceptableLag;
  }

  /** The group as it is, but with one stream thread on every node. */
  private record OneThreadPerNode(ApplicationState group) implements ApplicationState {

    @Override
    public Map<ProcessId, KafkaStreamsState> kafkaStreamsStates(boolean computeTaskLags) {
      Map<ProcessId, KafkaStreamsState> nodes = new LinkedHashMap<>();
      group
          .kafkaStreamsStates(computeTaskLags)
          .forEach((id, node) -> nodes.put(id, new OneThread(node)));
      return nodes;
    }

    @Override
    public AssignmentConfigs assignmentConfigs() {
      return group.assignmentConfigs();
    }

    @Override
    public Map<TaskId, TaskInfo> allTasks() {
      return group.allTasks();
    }
  }

  /** A node as it reported itself, but with one stream thread. */
  private record OneThread(KafkaStreamsState node) implements KafkaStreamsState {

    @Override
    public ProcessId processId() {
      return node.processId();
    }

    @Override
    public int numProcessingThreads() {
      return 1;
    }

    @Override
    public SortedSet<String> consumerClientIds() {
      return node.consumerClientIds();
    }

    @Override
    public SortedSet<TaskId> previousActiveTasks() {
      return node.previousActiveTasks();
    }

    @Override
    public SortedSet<TaskId> previousStandbyTasks() {
      return node.previousStandbyTasks();
    }

    @Override
    public long lagFor(TaskId task) {
      return node.lagFor(task);
    }

    @Override
    public SortedSet<TaskId> prevTasksByLag(String consumerClientId) {
      return node.prevTasksByLag(consumerClientId);
    }

    @Override
    public Map<TaskId, Long> statefulTasksToLagSums() {
      return node.statefulTasksToLagSums();
    }

    @Override
    public Optional<HostInfo> hostInfo() {
      return node.hostInfo();
    }

    @Override
    public Map<String, String> clientTags() {
      return node.clientTags();
    }

    @Override
    public Optional<String> rackId() {
      return node.rackId();
    }
  }
}
