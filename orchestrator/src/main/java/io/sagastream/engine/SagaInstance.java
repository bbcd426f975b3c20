package io.sagastream.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One run of a saga definition on a key. Immutable: the engine returns a new instance with every
 * decision.
 *
 * @param completedSteps indexes of the steps whose actions succeeded, in completion order
 * @param compensationQueue indexes of the steps still to undo, the next one first
 * @param inFlight the commands whose replies the instance waits for (several while branches of a
 *     parallel step run, or while a failed parallel step's other branches may still reply)
 * @param retries the commands to send when their backoff timers fire
 * @param waitingFor the receive step the instance waits in, or null
 * @param timers the instance's timers that have not fired or been cancelled
 * @param attempts the last attempt number used per step and kind ({@code step/KIND}), so that ids
 *     stay unique across incident retries
 * @param lastAnsweredCommandId the id of the last command whose reply was acted on, to tell
 *     duplicates
 * @param deadline when the whole saga must have finished, or null
 * @param nextSequence the sequence number of the instance's next journal event
 * @param history the most recent events, at most {@link #HISTORY_LIMIT}
 * @param traceParent the W3C trace context the saga was started in, or null: its commands and
 *     events join that trace
 * @param unansweredActions indexes of the steps one of whose action's tries went unanswered (timed
 *     out): it may have done its work, so the step is undone if it then fails for good
 */
public record SagaInstance(
    String sagaId,
    String sagaKey,
    String definitionName,
    int definitionVersion,
    SagaStatus status,
    SagaData data,
    List<Integer> completedSteps,
    List<Integer> compensationQueue,
    List<AwaitedCommand> inFlight,
    List<PendingRetry> retries,
    WaitingFor waitingFor,
    List<Timer> timers,
    Incident incident,
    Map<String, Integer> attempts,
    String lastAnsweredCommandId,
    Instant startedAt,
    Instant updatedAt,
    Instant deadline,
    long nextSequence,
    List<HistoryEntry> history,
    String traceParent,
    List<Integer> unansweredActions) {

  /** How many history entries an instance keeps; the journal keeps all of them. */
  public static final int HISTORY_LIMIT = 100;

  public SagaInstance {
    Objects.requireNonNull(sagaId, "sagaId");
    Objects.requireNonNull(sagaKey, "sagaKey");
    Objects.requireNonNull(definitionName, "definitionName");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(data, "data");
    completedSteps = List.copyOf(completedSteps);
    compensationQueue = List.copyOf(compensationQueue);
    inFlight = List.copyOf(inFlight);
    retries = List.copyOf(retries);
    timers = List.copyOf(timers);
    attempts = Map.copyOf(attempts);
    history = List.copyOf(history);
    // Instances stored before this was kept have none.
    unansweredActions = unansweredActions == null ? List.of() : List.copyOf(unansweredActions);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The command in flight, when there is exactly one; null otherwise. */
  public AwaitedCommand awaited() {
    return inFlight.size() == 1 ? inFlight.get(0) : null;
  }

  /** The pending retry, when there is exactly one; null otherwise. */
  public PendingRetry pendingRetry() {
    return retries.size() == 1 ? retries.get(0) : null;
  }

  /** The command in flight with {@code commandId}, if any. */
  public java.util.Optional<AwaitedCommand> inFlight(String commandId) {
    return inFlight.stream().filter(c -> c.commandId().equals(commandId)).findFirst();
  }

  /** The pending retry of {@code commandId}, if any. */
  public java.util.Optional<PendingRetry> retry(String commandId) {
    return retries.stream().filter(r -> r.commandId().equals(commandId)).findFirst();
  }

  /** The last attempt number used for {@code step} and {@code kind}, 0 if none. */
  public int lastAttempt(String step, CommandKind kind) {
    return attempts.getOrDefault(attemptKey(step, kind), 0);
  }

  static String attemptKey(String step, CommandKind kind) {
    return step + "/" + kind;
  }

  /** A mutable copy for the engine to change while it decides. */
  public static final class Builder {
    private final String sagaId;
    private final String sagaKey;
    private final String definitionName;
    private final int definitionVersion;
    private SagaStatus status;
    private SagaData data;
    private final List<Integer> completedSteps;
    private List<Integer> compensationQueue;
    private final List<AwaitedCommand> inFlight;
    private final List<PendingRetry> retries;
    private WaitingFor waitingFor;
    private final List<Timer> timers;
    private Incident incident;
    private final Map<String, Integer> attempts;
    private String lastAnsweredCommandId;
    private final Instant startedAt;
    private Instant updatedAt;
    private final Instant deadline;
    private long nextSequence;
    private final List<HistoryEntry> history;
    private String traceParent;
    private final List<Integer> unansweredActions;

    /** A new instance, not yet running. */
    public Builder(
        String sagaId,
        String sagaKey,
        SagaDefinition definition,
        SagaData data,
        Instant startedAt,
        Instant deadline) {
      this.sagaId = sagaId;
      this.sagaKey = sagaKey;
      this.definitionName = definition.name();
      this.definitionVersion = definition.version();
      this.status = SagaStatus.RUNNING;
      this.data = data;
      this.completedSteps = new ArrayList<>();
      this.compensationQueue = new ArrayList<>();
      this.inFlight = new ArrayList<>();
      this.retries = new ArrayList<>();
      this.timers = new ArrayList<>();
      this.attempts = new LinkedHashMap<>();
      this.startedAt = startedAt;
      this.updatedAt = startedAt;
      this.deadline = deadline;
      this.history = new ArrayList<>();
      this.unansweredActions = new ArrayList<>();
    }

    private Builder(SagaInstance instance) {
      this.sagaId = instance.sagaId;
      this.sagaKey = instance.sagaKey;
      this.definitionName = instance.definitionName;
      this.definitionVersion = instance.definitionVersion;
      this.status = instance.status;
      this.data = instance.data;
      this.completedSteps = new ArrayList<>(instance.completedSteps);
      this.compensationQueue = new ArrayList<>(instance.compensationQueue);
      this.inFlight = new ArrayList<>(instance.inFlight);
      this.retries = new ArrayList<>(instance.retries);
      this.waitingFor = instance.waitingFor;
      this.timers = new ArrayList<>(instance.timers);
      this.incident = instance.incident;
      this.attempts = new LinkedHashMap<>(instance.attempts);
      this.lastAnsweredCommandId = instance.lastAnsweredCommandId;
      this.startedAt = instance.startedAt;
      this.updatedAt = instance.updatedAt;
      this.deadline = instance.deadline;
      this.nextSequence = instance.nextSequence;
      this.history = new ArrayList<>(instance.history);
      this.traceParent = instance.traceParent;
      this.unansweredActions = new ArrayList<>(instance.unansweredActions);
    }

    public String sagaId() {
      return sagaId;
    }

    public SagaStatus status() {
      return status;
    }

    public Builder status(SagaStatus newStatus) {
      this.status = newStatus;
      return this;
    }

    public Builder data(SagaData newData) {
      this.data = newData;
      return this;
    }

    public List<Integer> completedSteps() {
      return completedSteps;
    }

    public List<Integer> compensationQueue() {
      return compensationQueue;
    }

    public Builder compensationQueue(List<Integer> queue) {
      this.compensationQueue = new ArrayList<>(queue);
      return this;
    }

    /** The commands in flight; the engine changes this list directly. */
    public List<AwaitedCommand> inFlight() {
      return inFlight;
    }

    /** The pending retries; the engine changes this list directly. */
    public List<PendingRetry> retries() {
      return retries;
    }

    public java.util.Optional<AwaitedCommand> inFlight(String commandId) {
      return inFlight.stream().filter(c -> c.commandId().equals(commandId)).findFirst();
    }

    public java.util.Optional<PendingRetry> retry(String commandId) {
      return retries.stream().filter(r -> r.commandId().equals(commandId)).findFirst();
    }

    public WaitingFor waitingFor() {
      return waitingFor;
    }

    public Builder waitingFor(WaitingFor waiting) {
      this.waitingFor = waiting;
      return this;
    }

    public List<Timer> timers() {
      return timers;
    }

    public Incident incident() {
      return incident;
    }

    public Builder incident(Incident newIncident) {
      this.incident = newIncident;
      return this;
    }

    /** Takes the next attempt number for {@code step} and {@code kind}. */
    public int nextAttempt(String step, CommandKind kind) {
      return attempts.merge(attemptKey(step, kind), 1, Integer::sum);
    }

    public String lastAnsweredCommandId() {
      return lastAnsweredCommandId;
    }

    /** Notes that a try of step {@code index}'s action went unanswered. */
    public void actionUnanswered(int index) {
      if (!unansweredActions.contains(index)) {
        unansweredActions.add(index);
      }
    }

    /** Whether a try of step {@code index}'s action went unanswered, so may have done its work. */
    public boolean actionWentUnanswered(int index) {
      return unansweredActions.contains(index);
    }

    public Builder lastAnsweredCommandId(String commandId) {
      this.lastAnsweredCommandId = commandId;
      return this;
    }

    public Instant deadline() {
      return deadline;
    }

    public Builder updatedAt(Instant at) {
      this.updatedAt = at;
      return this;
    }

    /** Takes the next journal sequence number and records the event in the history. */
    public long record(Instant at, JournalEvent event, String detail) {
      long sequence = nextSequence++;
      history.add(new HistoryEntry(sequence, at, event.type(), detail));
      if (history.size() > HISTORY_LIMIT) {
        history.remove(0);
      }
      return sequence;
    }

    public SagaInstance build() {
      return new SagaInstance(
          sagaId,
          sagaKey,
          definitionName,
          definitionVersion,
          status,
          data,
          completedSteps,
          compensationQueue,
          inFlight,
          retries,
          waitingFor,
          timers,
          incident,
          attempts,
          lastAnsweredCommandId,
          startedAt,
          updatedAt,
          deadline,
          nextSequence,
          history,
          traceParent,
          unansweredActions);
    }

    /** The trace the saga joins; set once, when it starts. */
    public Builder traceParent(String traceParent) {
      this.traceParent = traceParent;
      return this;
    }
  }
}
