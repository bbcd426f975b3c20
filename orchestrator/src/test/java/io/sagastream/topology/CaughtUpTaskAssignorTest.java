package io.sagastream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.assignment.ApplicationState;
import org.apache.kafka.streams.processor.assignment.AssignmentConfigs;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsAssignment;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsAssignment.AssignedTask;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsState;
import org.apache.kafka.streams.processor.assignment.ProcessId;
import org.apache.kafka.streams.processor.assignment.TaskAssignmentUtils;
import org.apache.kafka.streams.processor.assignment.TaskAssignor.AssignmentError;
import org.apache.kafka.streams.processor.assignment.TaskAssignor.TaskAssignment;
import org.apache.kafka.streams.processor.assignment.TaskInfo;
import org.apache.kafka.streams.processor.assignment.TaskTopicPartition;
import org.apache.kafka.streams.processor.assignment.assignors.StickyTaskAssignor;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class CaughtUpTaskAssignorTest {

  private static final long RUNNING = -2;
  private static final long UNKNOWN = -3;
  private static final long ACCEPTABLE_LAG = 10_000;
  private static final String ZONE = "zone";
  private static final long NO_STATE = 500_000;
  private static final Instant NOW = Instant.parse("2026-11-22T22:00:00Z");
  private static final List<TaskId> TASKS =
      IntStream.range(0, 6).mapToObj(p -> new TaskId(0, p)).toList();

  private final CaughtUpTaskAssignor assignor =
      new CaughtUpTaskAssignor(new StickyTaskAssignor(), Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void aNodeBackWithoutStateGetsNoActiveTaskUntilItHasCaughtUp() {
    // given two nodes running every task, each with standbys of the other's, and a third back
    // from a kill -9 with its stores wiped
    Node a = new Node("a").running(0, 1, 2).standing(3, 4, 5);
    Node b = new Node("b").running(3, 4, 5).standing(0, 1, 2);
    Node back = new Node("back").behindOnAll(NO_STATE);

    // when the tasks are assigned
    ApplicationState application = application(a, b, back);
    TaskAssignment assignment = assignor.assign(application);

    // then every task stays active where it runs, the node back catches up on some as standbys,
    // and a rebalance soon looks at it again
    assertThat(activeOn(assignment, back)).isEmpty();
    assertThat(activeOn(assignment, a)).containsExactlyInAnyOrderElementsOf(tasks(0, 1, 2));
    assertThat(activeOn(assignment, b)).containsExactlyInAnyOrderElementsOf(tasks(3, 4, 5));
    assertThat(standbyOn(assignment, back)).isNotEmpty();
    assertThat(followUps(assignment))
        .containsExactly(NOW.plus(CaughtUpTaskAssignor.nextCheck(NO_STATE)));
    assertValidWithEveryTaskActiveOnce(application, assignment);
  }

  @Test
  void aTaskStaysWithTheNodeRunningItRatherThanOneThatDidNotReportItsLag() {
    // given the node back without state, and a standby holder whose lags are unknown
    Node a = new Node("a").running(0, 1, 2).behind(UNKNOWN, 3, 4, 5);
    Node b = new Node("b").running(3, 4, 5).behind(UNKNOWN, 0, 1, 2);
    Node back = new Node("back").behindOnAll(NO_STATE);

    // when the tasks are assigned
    ApplicationState application = application(a, b, back);
    TaskAssignment assignment = assignor.assign(application);

    // then every task stays where it runs
    assertThat(activeOn(assignment, a)).containsExactlyInAnyOrderElementsOf(tasks(0, 1, 2));
    assertThat(activeOn(assignment, b)).containsExactlyInAnyOrderElementsOf(tasks(3, 4, 5));
    assertValidWithEveryTaskActiveOnce(application, assignment);
  }

  @Test
  void aTaskGoesToTheNodeLeastBehindWhenNoneRunsIt() {
    // given a dead node's tasks 4 and 5, both survivors with their state on disk, one less behind
    Node a = new Node("a").running(0, 1).behind(5_000, 4, 5).behind(NO_STATE, 2, 3);
    Node b = new Node("b").running(2, 3).behind(100, 4, 5).behind(NO_STATE, 0, 1);
    Node back = new Node("back").behindOnAll(NO_STATE);

    // when the tasks are assigned
    ApplicationState application = application(a, b, back);
    TaskAssignment assignment = assignor.assign(application);

    // then the node least behind runs them, and the one without state none
    assertThat(activeOn(assignment, back)).isEmpty();
    assertThat(activeOn(assignment, b)).contains(new TaskId(0, 4), new TaskId(0, 5));
    assertValidWithEveryTaskActiveOnce(application, assignment);
  }

  @Test
  void aNodeBackWithItsStateNearlyCurrentGetsItsShareAtOnce() {
    // given the same two nodes and a third whose stores are a little behind
    Node a = new Node("a").running(0, 1, 2).standing(3, 4, 5);
    Node b = new Node("b").running(3, 4, 5).standing(0, 1, 2);
    Node back = new Node("back").behindOnAll(ACCEPTABLE_LAG / 10);

    // when the tasks are assigned
    ApplicationState application = application(a, b, back);
    TaskAssignment assignment = assignor.assign(application);

    // then it runs two of the six, as the sticky assignor balances them, with no rebalance to come
    assertThat(activeOn(assignment, back)).hasSize(2);
    assertThat(followUps(assignment)).isEmpty();
    assertValidWithEveryTaskActiveOnce(application, assignment);
  }

  @Test
  void aNodeBackGetsHalfTheTasksEvenWhenTheGroupHasMoreThreadsThanTasks() {
    // given two nodes of four stream threads each, six tasks, one node that ran them all while
    // its peer restarted, and the peer back with their state current
    Node a = new Node("a").threads(4).running(0, 1, 2, 3, 4, 5);
    Node back = new Node("back").threads(4).standing(0, 1, 2, 3, 4, 5);

    // when the tasks are assigned
    ApplicationState application = application(a, back);
    TaskAssignment assignment = assignor.assign(application);

    // then each node runs three, where balancing by threads had left four of them with the first
    assertThat(activeOn(assignment, back)).hasSize(3);
    assertThat(activeOn(assignment, a)).hasSize(3);
    assertValidWithEveryTaskActiveOnce(application, assignment);
  }

  @Test
  void theTasksOfANodeThatDiedGoWhereTheirStateIsEvenWithoutAStandby() {
    // given two survivors of three, each with the state of one of the dead node's tasks on disk
    // from an earlier assignment, though neither ran a standby of it
    Node a = new Node("a").running(0, 1).behind(0, 5).behind(NO_STATE, 2, 3, 4);
    Node b = new Node("b").running(2, 3).behind(0, 4).behind(NO_STATE, 0, 1, 5);

    // when the tasks are assigned
    ApplicationState application = application(a, b);
    TaskAssignment assignment = assignor.assign(application);

    // then each of them runs the dead node's task it has the state of
    assertThat(activeOn(assignment, a)).contains(new TaskId(0, 5)).doesNotContain(new TaskId(0, 4));
    assertThat(activeOn(assignment, b)).contains(new TaskId(0, 4)).doesNotContain(new TaskId(0, 5));
    assertValidWithEveryTaskActiveOnce(application, assignment);
  }

  @Test
  void whenNoNodeHasTheStateTheStickyAssignmentStands() {
    // given three nodes starting on empty stores
    Node a = new Node("a").behindOnAll(NO_STATE);
    Node b = new Node("b").behindOnAll(NO_STATE);
    Node c = new Node("c").behindOnAll(NO_STATE);

    // when the tasks are assigned
    ApplicationState application = application(a, b, c);
    TaskAssignment assignment = assignor.assign(application);

    // then each runs two, and no rebalance is asked for
    assertThat(activeOn(assignment, a)).hasSize(2);
    assertThat(activeOn(assignment, b)).hasSize(2);
    assertThat(activeOn(assignment, c)).hasSize(2);
    assertThat(followUps(assignment)).isEmpty();
    assertValidWithEveryTaskActiveOnce(application, assignment);
  }

  @Test
  void theNextLookIsPlannedForWhenTheNodeShouldHaveCaughtUpWithinBounds() {
    // given nodes behind by a few records, by a million, and by a billion
    // when the next look is planned
    // then it comes after five seconds at the least, two minutes at the most, and in between at
    // the pace a standby restores
    assertThat(CaughtUpTaskAssignor.nextCheck(100)).isEqualTo(CaughtUpTaskAssignor.CATCH_UP_CHECK);
    assertThat(CaughtUpTaskAssignor.nextCheck(1_000_000))
        .isEqualTo(Duration.ofSeconds(1_000_000 / CaughtUpTaskAssignor.RESTORED_PER_SECOND));
    assertThat(CaughtUpTaskAssignor.nextCheck(1_000_000_000))
        .isEqualTo(CaughtUpTaskAssignor.LONGEST_CHECK);
  }

  @Test
  void aStandbyInItsActivesZoneMovesToAnotherZone() {
    // given two nodes in one zone, each running half the tasks and standing by for the other
    // half, and a third node in another zone, joining with empty stores
    Node a = new Node("a").zone("z1").running(0, 1, 2).standing(3, 4, 5);
    Node b = new Node("b").zone("z1").running(3, 4, 5).standing(0, 1, 2);
    Node c = new Node("c").zone("z2").behindOnAll(NO_STATE);

    // when the tasks are assigned, standbys spread over zones
    ApplicationState application = application(List.of(ZONE), a, b, c);
    TaskAssignment assignment = assignor.assign(application);

    // then every task has a standby outside its active's zone, on the only node there
    for (TaskId task : TASKS) {
      Node active = holder(assignment, task, AssignedTask.Type.ACTIVE, a, b, c);
      assertThat(standbyZones(assignment, task, a, b, c))
          .as("zones of the standbys of %s, active in %s", task, active.zone())
          .anyMatch(zone -> !zone.equals(active.zone()));
    }
    assertThat(standbyOn(assignment, c)).containsExactlyInAnyOrderElementsOf(TASKS);
    assertValidWithEveryTaskActiveOnce(application, assignment);
  }

  @Test
  void standbysApartFromTheirActiveStayWhereTheStickyAssignorPutsThem() {
    // given three nodes, each in a zone of its own, so that every standby is apart from its active
    Node a = new Node("a").zone("z1").running(0, 1).standing(2, 3);
    Node b = new Node("b").zone("z2").running(2, 3).standing(4, 5);
    Node c = new Node("c").zone("z3").running(4, 5).standing(0, 1);

    // when the tasks are assigned, standbys spread over zones
    ApplicationState application = application(List.of(ZONE), a, b, c);
    TaskAssignment assignment = assignor.assign(application);

    // then no standby moves from where the sticky assignor put it: a move costs a restore
    TaskAssignment sticky = new StickyTaskAssignor().assign(application);
    for (Node node : List.of(a, b, c)) {
      assertThat(standbyOn(assignment, node)).isEqualTo(standbyOn(sticky, node)).isNotEmpty();
    }
    assertValidWithEveryTaskActiveOnce(application, assignment);
  }

  @Test
  void aStandbyStaysInItsActivesZoneWhenNoOtherZoneHasANode() {
    // given both nodes in one zone
    Node a = new Node("a").zone("z1").running(0, 1, 2).standing(3, 4, 5);
    Node b = new Node("b").zone("z1").running(3, 4, 5).standing(0, 1, 2);

    // when the tasks are assigned, standbys spread over zones
    ApplicationState application = application(List.of(ZONE), a, b);
    TaskAssignment assignment = assignor.assign(application);

    // then every task keeps its standby: one in the same zone still spares a replay
    assertThat(standbyOn(assignment, a)).containsExactlyInAnyOrderElementsOf(tasks(3, 4, 5));
    assertThat(standbyOn(assignment, b)).containsExactlyInAnyOrderElementsOf(tasks(0, 1, 2));
    assertValidWithEveryTaskActiveOnce(application, assignment);
  }

  private static Node holder(
      TaskAssignment assignment, TaskId task, AssignedTask.Type type, Node... nodes) {
    return Stream.of(nodes)
        .filter(node -> tasksOn(assignment, node, type).contains(task))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " of " + task));
  }

  private static List<String> standbyZones(TaskAssignment assignment, TaskId task, Node... nodes) {
    return Stream.of(nodes)
        .filter(node -> standbyOn(assignment, node).contains(task))
        .map(Node::zone)
        .toList();
  }

  private static void assertValidWithEveryTaskActiveOnce(
      ApplicationState application, TaskAssignment assignment) {
    assertThat(TaskAssignmentUtils.validateTaskAssignment(application, assignment))
        .isEqualTo(AssignmentError.NONE);
    Map<TaskId, Long> actives =
        assignment.assignment().stream()
            .flatMap(a -> a.tasks().values().stream())
            .filter(t -> t.type() == AssignedTask.Type.ACTIVE)
            .collect(Collectors.groupingBy(AssignedTask::id, Collectors.counting()));
    assertThat(actives).as("active copies of each task").hasSize(TASKS.size());
    assertThat(actives.values()).as("active copies of each task").containsOnly(1L);
  }

  private static Set<TaskId> activeOn(TaskAssignment assignment, Node node) {
    return tasksOn(assignment, node, AssignedTask.Type.ACTIVE);
  }

  private static Set<TaskId> standbyOn(TaskAssignment assignment, Node node) {
    return tasksOn(assignment, node, AssignedTask.Type.STANDBY);
  }

  private static Set<TaskId> tasksOn(TaskAssignment assignment, Node node, AssignedTask.Type type) {
    return assignment.assignment().stream()
        .filter(a -> a.processId().equals(node.id))
        .flatMap(a -> a.tasks().values().stream())
        .filter(t -> t.type() == type)
        .map(AssignedTask::id)
        .collect(Collectors.toSet());
  }

  private static List<Instant> followUps(TaskAssignment assignment) {
    return assignment.assignment().stream()
        .map(KafkaStreamsAssignment::followupRebalanceDeadline)
        .flatMap(Optional::stream)
        .toList();
  }

  private static Set<TaskId> tasks(int... partitions) {
    return IntStream.of(partitions).mapToObj(p -> new TaskId(0, p)).collect(Collectors.toSet());
  }

  private static ApplicationState application(Node... nodes) {
    return application(List.of(), nodes);
  }

  private static ApplicationState application(List<String> rackAwareTags, Node... nodes) {
    Map<ProcessId, KafkaStreamsState> states = new LinkedHashMap<>();
    for (Node node : nodes) {
      states.put(node.id, node);
    }
    Map<TaskId, TaskInfo> tasks = new LinkedHashMap<>();
    TASKS.forEach(task -> tasks.put(task, new StatefulTask(task)));
    AssignmentConfigs configs =
        new AssignmentConfigs(ACCEPTABLE_LAG, 2, 1, 600_000L, rackAwareTags);
    return new ApplicationState() {
      @Override
      public Map<ProcessId, KafkaStreamsState> kafkaStreamsStates(boolean computeTaskLags) {
        return states;
      }

      @Override
      public AssignmentConfigs assignmentConfigs() {
        return configs;
      }

      @Override
      public Map<TaskId, TaskInfo> allTasks() {
        return tasks;
      }
    };
  }

  private record StatefulTask(TaskId id) implements TaskInfo {

    @Override
    public boolean isStateful() {
      return true;
    }

    @Override
    public Set<String> stateStoreNames() {
      return Set.of(TopologyNames.INSTANCE_STORE);
    }

    /** Its changelog partition: the sticky assignor gives standbys only to tasks with one. */
    @Override
    public Set<TaskTopicPartition> topicPartitions() {
      return Set.of(new ChangelogPartition(new TopicPartition("changelog", id.partition())));
    }
  }

  private record ChangelogPartition(TopicPartition topicPartition) implements TaskTopicPartition {

    @Override
    public boolean isSource() {
      return false;
    }

    @Override
    public boolean isChangelog() {
      return true;
    }

    @Override
    public Optional<Set<String>> rackIds() {
      return Optional.empty();
    }
  }

  /** What a node tells the assignor: the tasks it ran and kept, and how far behind it is. */
  private static final class Node implements KafkaStreamsState {

    final ProcessId id;
    private final String name;
    private final SortedSet<TaskId> active = new TreeSet<>();
    private final SortedSet<TaskId> standby = new TreeSet<>();
    private final Map<TaskId, Long> lags = new HashMap<>();
    private int threads = 1;
    private Map<String, String> tags = Map.of();

    Node(String name) {
      this.name = name;
      this.id = new ProcessId(UUID.nameUUIDFromBytes(name.getBytes()));
    }

    Node zone(String zone) {
      tags = Map.of(ZONE, zone);
      return this;
    }

    String zone() {
      return tags.get(ZONE);
    }

    Node threads(int count) {
      threads = count;
      return this;
    }

    Node running(int... partitions) {
      tasks(partitions).forEach(task -> lags.put(task, RUNNING));
      active.addAll(tasks(partitions));
      return this;
    }

    Node standing(int... partitions) {
      tasks(partitions).forEach(task -> lags.put(task, 0L));
      standby.addAll(tasks(partitions));
      return this;
    }

    Node behind(long lag, int... partitions) {
      tasks(partitions).forEach(task -> lags.put(task, lag));
      return this;
    }

    Node behindOnAll(long lag) {
      TASKS.forEach(task -> lags.put(task, lag));
      return this;
    }

    @Override
    public ProcessId processId() {
      return id;
    }

    @Override
    public int numProcessingThreads() {
      return threads;
    }

    @Override
    public SortedSet<String> consumerClientIds() {
      return IntStream.rangeClosed(1, threads)
          .mapToObj(n -> name + "-StreamThread-" + n + "-consumer")
          .collect(Collectors.toCollection(TreeSet::new));
    }

    @Override
    public SortedSet<TaskId> previousActiveTasks() {
      return active;
    }

    @Override
    public SortedSet<TaskId> previousStandbyTasks() {
      return standby;
    }

    @Override
    public long lagFor(TaskId task) {
      return lags.get(task);
    }

    @Override
    public SortedSet<TaskId> prevTasksByLag(String consumerClientId) {
      return new TreeSet<>(lags.keySet());
    }

    @Override
    public Map<TaskId, Long> statefulTasksToLagSums() {
      return lags;
    }

    @Override
    public Optional<HostInfo> hostInfo() {
      return Optional.empty();
    }

    @Override
    public Map<String, String> clientTags() {
      return tags;
    }

    @Override
    public Optional<String> rackId() {
      return Optional.empty();
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
