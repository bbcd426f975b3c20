package io.sagastream.engine;

import io.sagastream.engine.Effect.SendCommand;
import io.sagastream.engine.EngineCommand.CancelSaga;
import io.sagastream.engine.EngineCommand.FireTimer;
import io.sagastream.engine.EngineCommand.HandleReply;
import io.sagastream.engine.EngineCommand.Redrive;
import io.sagastream.engine.EngineCommand.ResolveIncident;
import io.sagastream.engine.EngineCommand.StartSaga;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A saga instance driven through the engine step by step, as a test story: each call decides one
 * command at the story's current time and keeps the new instance.
 */
final class SagaRun {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final SagaData DATA = SagaData.of(new byte[] {1, 2, 3});

  private final SagaDefinition definition;
  private SagaInstance instance;
  private Instant now = T0;
  private final List<Decision> decisions = new ArrayList<>();

  SagaRun(SagaDefinition definition) {
    this.definition = definition;
  }

  /**
   * A definition of steps named as given, each with a compensation, the default policies and 30 s.
   */
  static SagaDefinition definition(String... steps) {
    return definition(RetryPolicy.DEFAULT, RetryPolicy.DEFAULT, Optional.empty(), steps);
  }

  static SagaDefinition definition(
      RetryPolicy retry,
      RetryPolicy compensationRetry,
      Optional<Duration> deadline,
      String... steps) {
    List<StepDefinition> definitions = new ArrayList<>();
    for (String step : steps) {
      definitions.add(
          new StepDefinition(
              step,
              step + ".commands",
              Optional.of(step + ".commands"),
              Duration.ofSeconds(30),
              retry,
              compensationRetry));
    }
    return new SagaDefinition("order-fulfilment", 1, deadline, definitions);
  }

  SagaInstance instance() {
    return instance;
  }

  Instant now() {
    return now;
  }

  List<Decision> decisions() {
    return decisions;
  }

  Decision start() {
    return decide(new StartSaga("s-1", "order-1", "r-1", "tester", DATA));
  }

  /** Replies to the (first) command in flight. */
  Decision reply(ReplyOutcome outcome) {
    return replyTo(instance.inFlight().get(0).commandId(), outcome, null);
  }

  /** Replies to the in-flight command of {@code step}. */
  Decision reply(String step, ReplyOutcome outcome) {
    AwaitedCommand command =
        instance.inFlight().stream()
            .filter(c -> definition.step(c.stepIndex()).name().equals(step))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no command of " + step + " in flight"));
    return replyTo(command.commandId(), outcome, null);
  }

  /** Replies with success, merging {@code merged} into the data. */
  Decision succeedWith(SagaData merged) {
    return replyTo(instance.awaited().commandId(), ReplyOutcome.SUCCESS, merged);
  }

  Decision replyTo(String commandId, ReplyOutcome outcome, SagaData merged) {
    String code = outcome == ReplyOutcome.SUCCESS ? null : "E42";
    String message = outcome == ReplyOutcome.SUCCESS ? null : "participant said no";
    return replyTo(commandId, outcome, merged, code, message);
  }

  /** Replies to {@code commandId} with the participant's own error code and message. */
  Decision replyTo(
      String commandId, ReplyOutcome outcome, SagaData merged, String code, String message) {
    return decide(new HandleReply(commandId, outcome, code, message, merged));
  }

  /** Moves time to the instance's earliest timer and fires it. */
  Decision fireNextTimer() {
    Timer next =
        instance.timers().stream()
            .min(Comparator.comparing(Timer::dueAt))
            .orElseThrow(() -> new AssertionError("no timer pending"));
    return fire(next);
  }

  /** Moves time to the instance's timer of {@code kind} and fires it. */
  Decision fire(TimerKind kind) {
    Timer timer =
        instance.timers().stream()
            .filter(t -> t.kind() == kind)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + kind + " timer in " + instance.timers()));
    return fire(timer);
  }

  Decision fire(Timer timer) {
    if (timer.dueAt().isAfter(now)) {
      now = timer.dueAt();
    }
    return decide(new FireTimer(timer));
  }

  Decision cancel() {
    return decide(new CancelSaga("operator-1", "customer changed their mind"));
  }

  Decision resolve(IncidentResolution resolution) {
    return decide(new ResolveIncident(resolution, "operator-1", "checked by hand"));
  }

  /** Resolves the incident raised at {@code meant}, as a caller who looked at it asks. */
  Decision resolve(IncidentResolution resolution, Instant meant) {
    return decide(new ResolveIncident(resolution, "operator-1", "checked by hand", meant));
  }

  Decision redrive() {
    return decide(new Redrive());
  }

  void advance(Duration duration) {
    now = now.plus(duration);
  }

  Decision decide(EngineCommand command) {
    Decision decision = SagaEngine.decide(definition, instance, command, now);
    instance = decision.instance();
    decisions.add(decision);
    return decision;
  }

  /** Every command sent so far, as "step kind attempt", redeliveries marked. */
  List<String> sent() {
    return decisions.stream()
        .flatMap(d -> d.effects(SendCommand.class).stream())
        .map(
            s ->
                s.step()
                    + " "
                    + s.kind().name().toLowerCase()
                    + " "
                    + s.attempt()
                    + (s.redelivery() ? " again" : ""))
        .toList();
  }

  /** Every journal event so far, by type. */
  List<String> events() {
    return decisions.stream().flatMap(d -> d.events().stream()).map(JournalEvent::type).toList();
  }
}
