package io.sagastream.topology;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsAssignment;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsAssignment.AssignedTask;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsState;
import org.apache.kafka.streams.processor.assignment.ProcessId;

/**
 * Moves a standby that shares a zone (a value of one of {@code rack.aware.assignment.tags}) with
 * another copy of its task to a node where it does not, when there is one. Kafka Streams' sticky
 * assignor places standbys by load alone and never looks at the client tags, so with two of three
 * nodes in one zone a task's only standby could sit in its active's zone, and losing that zone lost
 * both. A standby already apart stays where it is: moving one costs a restore of its state.
 */
final class StandbyZones {

  private final List<String> tags;
  private final Map<ProcessId, KafkaStreamsState> nodes;
  private final Map<ProcessId, KafkaStreamsAssignment> assignments;

  private StandbyZones(
      List<String> tags,
      Map<ProcessId, KafkaStreamsState> nodes,
      Map<ProcessId, KafkaStreamsAssignment> assignments) {
    this.tags = tags;
    this.nodes = nodes;
    this.assignments = assignments;
  }

  /**
   * Spreads the standbys of every task in {@code assignments} (changed in place) over the zones
   * that {@code tags} name; returns how many standbys moved. Nothing moves without tags.
   */
  static int spread(
      List<String> tags,
      Map<ProcessId, KafkaStreamsState> nodes,
      Map<ProcessId, KafkaStreamsAssignment> assignments) {
    if (tags.isEmpty()) {
      return 0;
    }
    return new StandbyZones(tags, nodes, assignments).spreadAll();
  }

  private int spreadAll() {
    List<TaskId> tasks =
        assignments.values().stream()
            .flatMap(a -> a.tasks().keySet().stream())
            .distinct()
            .sorted()
            .toList();
    int moved = 0;
    for (TaskId task : tasks) {
      moved += spread(task);
    }
    return moved;
  }

  private int spread(TaskId task) {
    List<ProcessId> kept = new ArrayList<>(holders(task, AssignedTask.Type.ACTIVE));
    int moved = 0;
    for (ProcessId standby : holders(task, AssignedTask.Type.STANDBY)) {
      if (apartFromAll(standby, kept)) {
        kept.add(standby);
        continue;
      }
      Optional<ProcessId> better = nodeApartFrom(task, kept);
      if (better.isEmpty()) {
        // A standby in the same zone still spares a replay when only its node dies.
        kept.add(standby);
        continue;
      }
      assignments.get(standby).removeTask(new AssignedTask(task, AssignedTask.Type.STANDBY));
      assignments.get(better.get()).assignTask(new AssignedTask(task, AssignedTask.Type.STANDBY));
      kept.add(better.get());
      moved++;
    }
    return moved;
  }

  private List<ProcessId> holders(TaskId task, AssignedTask.Type type) {
    return assignments.values().stream()
        .filter(a -> a.tasks().containsKey(task) && a.tasks().get(task).type() == type)
        .map(KafkaStreamsAssignment::processId)
        .sorted()
        .toList();
  }

  /**
   * A node without a copy of the task and apart from every copy kept: one that had a standby of it
   * before first (its state is warm), then the one with the fewest standbys.
   */
  private Optional<ProcessId> nodeApartFrom(TaskId task, List<ProcessId> kept) {
    return assignments.values().stream()
        .filter(a -> !a.tasks().containsKey(task))
        .map(KafkaStreamsAssignment::processId)
        .filter(node -> apartFromAll(node, kept))
        .min(
            Comparator.comparing((ProcessId node) -> !hadStandby(node, task))
                .thenComparingLong(this::standbys)
                .thenComparing(node -> node));
  }

  private boolean hadStandby(ProcessId node, TaskId task) {
    KafkaStreamsState state = nodes.get(node);
    return state != null && state.previousStandbyTasks().contains(task);
  }

  private long standbys(ProcessId node) {
    return assignments.get(node).tasks().values().stream()
        .filter(t -> t.type() == AssignedTask.Type.STANDBY)
        .count();
  }

  private boolean apartFromAll(ProcessId node, List<ProcessId> others) {
    return others.stream().allMatch(other -> apart(node, other));
  }

  /**
   * Whether two nodes differ in every tag. Two nodes are not apart on a tag that either does not
   * carry: nothing says where it is.
   */
  private boolean apart(ProcessId a, ProcessId b) {
    Map<String, String> tagsOfA = tagsOf(a);
    Map<String, String> tagsOfB = tagsOf(b);
    for (String tag : tags) {
      String valueOfA = tagsOfA.get(tag);
      String valueOfB = tagsOfB.get(tag);
      if (valueOfA == null || valueOfB == null || valueOfA.equals(valueOfB)) {
        return false;
      }
    }
    return true;
  }

  private Map<String, String> tagsOf(ProcessId node) {
    KafkaStreamsState state = nodes.get(node);
    return state == null ? Map.of() : state.clientTags();
  }
}
