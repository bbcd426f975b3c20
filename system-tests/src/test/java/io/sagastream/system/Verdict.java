package io.sagastream.system;

import io.sagastream.contracts.v1.CompensationStarted;
import io.sagastream.contracts.v1.IncidentRaised;
import io.sagastream.contracts.v1.MessageBuffered;
import io.sagastream.contracts.v1.MessageCorrelated;
import io.sagastream.contracts.v1.MessageExpired;
import io.sagastream.contracts.v1.ReceiveTimedOut;
import io.sagastream.contracts.v1.SagaCompensated;
import io.sagastream.contracts.v1.SagaCompleted;
import io.sagastream.contracts.v1.SagaDeadlineExpired;
import io.sagastream.contracts.v1.SagaEvent;
import io.sagastream.contracts.v1.SagaFailed;
import io.sagastream.contracts.v1.SagaKind;
import io.sagastream.contracts.v1.SagaRedriven;
import io.sagastream.contracts.v1.SagaStarted;
import io.sagastream.contracts.v1.StepCommandSent;
import io.sagastream.contracts.v1.StepCompensated;
import io.sagastream.contracts.v1.StepCompleted;
import io.sagastream.contracts.v1.StepFailed;
import io.sagastream.contracts.v1.StepRetryScheduled;
import io.sagastream.contracts.v1.StepTimedOut;
import io.sagastream.samples.FaultInjector;
import io.sagastream.samples.InjectedFault;
import io.sagastream.samples.inventory.InventoryTeam;
import io.sagastream.samples.payment.PaymentTeam;
import io.sagastream.samples.shipping.ShippingTeam;
import io.sagastream.worker.CommandKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The invariants of one scenario, checked from what an outsider sees: the journal and the commands
 * the participants received, both read committed. Every violation is named with its saga, so that a
 * failed run says what went wrong where.
 *
 * <ul>
 *   <li>nothing lost: every accepted saga has one {@code SagaStarted} and one terminal event, and
 *       its journal has no gap or repeat (sequences 0, 1, 2, ... and unique event ids);
 *   <li>none stuck or in an incident: every saga completed or compensated (the samples'
 *       compensations cannot fail for good);
 *   <li>as the deterministic fault plan says: a saga none of whose attempts timed out ends as the
 *       participants' fault draws for its command ids decide;
 *   <li>steps in order, compensations in reverse: an action goes out only for the step after the
 *       last completed one, attempts count up from 1, and the steps undone are the completed ones,
 *       last first;
 *   <li>exactly once: no command id reached the participants twice (a retry is a new attempt with a
 *       new id; only a recovery re-drive may repeat one, and none is expected), and the commands
 *       the participants received are exactly those the journal says were sent.
 * </ul>
 */
final class Verdict {

  /** The steps of order-fulfilment, in order, and the team that serves each action. */
  static final List<String> STEPS =
      List.of("reserve-stock", "charge-payment", "await-payment-confirmation", "schedule-shipment");

  private static final Map<String, String> TEAMS =
      Map.of(
          "reserve-stock", InventoryTeam.NAME,
          "charge-payment", PaymentTeam.NAME,
          "schedule-shipment", ShippingTeam.NAME);

  private final List<String> violations = new ArrayList<>();
  private final List<String> keys;
  int completed;
  int compensated;
  int failed;
  int commands;
  int duplicates;
  int retries;
  int timeouts;
  int redriven;
  int predictable;
  int predictedRight;

  private Verdict(List<String> keys) {
    this.keys = keys;
  }

  /**
   * @param keys the sagas the load started
   * @param maxAttempts the definition's tries per action
   * @param faults each team's fault injector, whose draws say which attempts fail
   */
  static Verdict check(
      String scenario,
      List<String> keys,
      Observer observer,
      int maxAttempts,
      Function<String, FaultInjector> faults) {
    Verdict verdict = new Verdict(keys);
    String prefix = scenario + "-order-";
    Map<String, List<SagaEvent>> journal = observer.journal(prefix);
    Set<String> eventIds = new HashSet<>();
    Set<String> sent = new HashSet<>();
    Set<String> redrivenIds = new HashSet<>();
    for (String key : keys) {
      List<SagaEvent> events = journal.getOrDefault(key, List.of());
      verdict.checkSaga(key, events, eventIds, sent, redrivenIds, maxAttempts, faults);
    }
    Set<String> strangers = new TreeSet<>(journal.keySet());
    strangers.removeAll(keys);
    strangers.forEach(key -> verdict.violation(key, "has a journal but the load never started it"));
    verdict.checkCommands(observer.commands(prefix), sent, redrivenIds);
    return verdict;
  }

  List<String> violations() {
    return List.copyOf(violations);
  }

  int sagas() {
    return keys.size();
  }

  private void checkSaga(
      String key,
      List<SagaEvent> events,
      Set<String> eventIds,
      Set<String> sent,
      Set<String> redrivenIds,
      int maxAttempts,
      Function<String, FaultInjector> faults) {
    // The inbox's events (a message kept before its saga waits for it) are not the instance's
    // history: they carry no saga id and no sequence of their own.
    List<SagaEvent> inbox = events.stream().filter(e -> e.getSagaId().isEmpty()).toList();
    events = events.stream().filter(e -> !e.getSagaId().isEmpty()).toList();
    long buffered = inbox.stream().filter(e -> e.getEvent() instanceof MessageBuffered).count();
    if (buffered > 1) {
      violation(key, "its one confirmation was kept " + buffered + " times");
    }
    inbox.stream()
        .filter(e -> e.getEvent() instanceof MessageExpired)
        .forEach(e -> violation(key, "its confirmation expired unread"));
    if (events.isEmpty()) {
      violation(key, "lost: no journal at all");
      return;
    }
    if (!(events.get(0).getEvent() instanceof SagaStarted)) {
      violation(key, "its journal does not begin with SagaStarted but " + name(events.get(0)));
    }
    String sagaId = events.get(0).getSagaId();
    List<String> completedSteps = new ArrayList<>();
    List<String> undone = new ArrayList<>();
    // Steps that failed with their last try timed out: they may have done their work, and are
    // undone before the completed ones.
    List<String> undoFirst = new ArrayList<>();
    // Steps one of whose action's tries timed out: they may have acted, so are undone if they fail.
    Set<String> unanswered = new HashSet<>();
    Map<String, Integer> lastAttempt = new HashMap<>();
    boolean compensating = false;
    boolean timedOut = false;
    String ending = null;
    int starts = 0;
    for (int i = 0; i < events.size(); i++) {
      SagaEvent event = events.get(i);
      if (event.getSequence() != i) {
        violation(key, "event " + i + " (" + name(event) + ") has sequence " + event.getSequence());
      }
      if (!eventIds.add(event.getEventId())) {
        violation(key, "event id " + event.getEventId() + " is in the journal twice");
      }
      Object what = event.getEvent();
      if (ending != null && (what instanceof StepCommandSent || what instanceof SagaStarted)) {
        violation(key, name(event) + " after its terminal event " + ending);
      }
      if (what instanceof SagaStarted) {
        starts++;
      } else if (what instanceof StepCommandSent command) {
        String step = command.getStep();
        String kind = command.getKind().name().toLowerCase(Locale.ROOT);
        commands++;
        sent.add(command.getCommandId());
        String expectedId = commandId(sagaId, step, kind, command.getAttempt());
        if (!command.getCommandId().equals(expectedId)) {
          violation(key, "command id " + command.getCommandId() + ", not " + expectedId);
        }
        String attemptKey = kind + "/" + step;
        int previous = lastAttempt.getOrDefault(attemptKey, 0);
        if (command.getAttempt() != previous + 1) {
          violation(
              key, kind + " " + step + " attempt " + command.getAttempt() + " after " + previous);
        }
        lastAttempt.put(attemptKey, command.getAttempt());
        if (command.getKind() == SagaKind.ACTION) {
          if (compensating) {
            violation(key, "action " + step + " sent while compensating");
          }
          expectNext(key, "action " + step, step, completedSteps);
        } else {
          if (!compensating) {
            violation(key, "compensation " + step + " sent before compensation started");
          }
          expectUndo(
              key, "compensation " + step, step, undoOrder(undoFirst, completedSteps), undone);
        }
      } else if (what instanceof StepCompleted done) {
        expectNext(key, "StepCompleted " + done.getStep(), done.getStep(), completedSteps);
        completedSteps.add(done.getStep());
      } else if (what instanceof MessageCorrelated correlated) {
        expectNext(key, "MessageCorrelated", correlated.getStep(), completedSteps);
        completedSteps.add(correlated.getStep());
      } else if (what instanceof CompensationStarted) {
        if (compensating) {
          violation(key, "compensation started twice");
        }
        compensating = true;
      } else if (what instanceof StepFailed failed) {
        if ("timeout".equals(failed.getErrorCode()) || unanswered.contains(failed.getStep())) {
          undoFirst.add(failed.getStep());
        }
      } else if (what instanceof StepCompensated undo) {
        expectUndo(
            key,
            "StepCompensated " + undo.getStep(),
            undo.getStep(),
            undoOrder(undoFirst, completedSteps),
            undone);
        undone.add(undo.getStep());
      } else if (what instanceof StepRetryScheduled) {
        retries++;
      } else if (what instanceof StepTimedOut
          || what instanceof ReceiveTimedOut
          || what instanceof SagaDeadlineExpired) {
        if (what instanceof StepTimedOut timedOutTry && timedOutTry.getKind() == SagaKind.ACTION) {
          unanswered.add(timedOutTry.getStep());
        }
        timeouts++;
        timedOut = true;
      } else if (what instanceof SagaRedriven redrive) {
        redriven++;
        timedOut = true;
        redrivenIds.add(redrive.getCommandId());
      } else if (what instanceof IncidentRaised) {
        violation(key, "raised an incident");
      } else if (what instanceof SagaCompleted || what instanceof SagaCompensated) {
        if (ending != null) {
          violation(key, "ended twice: " + ending + " and " + name(event));
        }
        ending = name(event);
      } else if (what instanceof SagaFailed) {
        violation(key, "failed (a compensation could not finish)");
        ending = name(event);
        failed++;
      }
    }
    if (starts != 1) {
      violation(key, "has " + starts + " SagaStarted events");
    }
    if (ending == null) {
      violation(key, "stuck: no terminal event; last is " + name(events.get(events.size() - 1)));
      return;
    }
    if (ending.equals("SagaCompleted")) {
      completed++;
      if (!completedSteps.equals(STEPS) || compensating) {
        violation(key, "completed with steps " + completedSteps + ", compensating " + compensating);
      }
    } else if (ending.equals("SagaCompensated")) {
      compensated++;
      List<String> expected = undoOrder(undoFirst, completedSteps);
      if (!undone.equals(expected) || !compensating) {
        violation(key, "compensated " + undone + " after completing " + completedSteps);
      }
    }
    if (!timedOut && !ending.equals("SagaFailed")) {
      predictable++;
      String predicted = predict(sagaId, maxAttempts, faults);
      if (predicted.equals(ending)) {
        predictedRight++;
      } else {
        violation(key, "ended " + ending + " where its fault draws say " + predicted);
      }
    }
  }

  private void expectNext(String key, String what, String step, List<String> completedSteps) {
    int index = STEPS.indexOf(step);
    if (index != completedSteps.size()) {
      violation(key, what + " out of order: completed so far " + completedSteps);
    }
  }

  /** The order steps are undone in: those whose outcome is unknown, then the completed ones. */
  private static List<String> undoOrder(List<String> undoFirst, List<String> completedSteps) {
    List<String> order = new ArrayList<>(undoFirst);
    List<String> reversed = new ArrayList<>(completedSteps);
    Collections.reverse(reversed);
    order.addAll(reversed);
    return order;
  }

  /** The step undone now must be the next in the undo order not undone yet. */
  private void expectUndo(
      String key, String what, String step, List<String> order, List<String> undone) {
    if (undone.size() >= order.size() || !order.get(undone.size()).equals(step)) {
      violation(key, what + " out of reverse order: to undo " + order + ", undone " + undone);
    }
  }

  private void checkCommands(
      List<Observer.Command> received, Set<String> sent, Set<String> redrivenIds) {
    Map<String, Integer> counts = new HashMap<>();
    for (Observer.Command command : received) {
      if (command.commandId() == null) {
        violation(command.key(), "a command without a command-id header on " + command.topic());
        continue;
      }
      counts.merge(command.commandId(), 1, Integer::sum);
    }
    counts.forEach(
        (id, count) -> {
          if (count > 1 && !redrivenIds.contains(id)) {
            duplicates++;
            violation(id, "reached the participants " + count + " times");
          }
        });
    Set<String> missing = new TreeSet<>(sent);
    missing.removeAll(counts.keySet());
    missing.forEach(id -> violation(id, "is in the journal as sent but reached no participant"));
    Set<String> unjournaled = new TreeSet<>(counts.keySet());
    unjournaled.removeAll(sent);
    unjournaled.forEach(id -> violation(id, "reached a participant but is not in the journal"));
  }

  /** How the saga ends if no attempt times out: the participants' draws decide each attempt. */
  static String predict(String sagaId, int maxAttempts, Function<String, FaultInjector> faults) {
    for (String step : STEPS) {
      String team = TEAMS.get(step);
      if (team == null) {
        continue; // the receive step: every saga's confirmation is published
      }
      boolean done = false;
      for (int attempt = 1; attempt <= maxAttempts && !done; attempt++) {
        InjectedFault fault =
            faults
                .apply(team)
                .decide(commandId(sagaId, step, "action", attempt), CommandKind.ACTION);
        if (fault == InjectedFault.FAILURE) {
          return "SagaCompensated";
        }
        done = fault == InjectedFault.NONE;
      }
      if (!done) {
        return "SagaCompensated";
      }
    }
    return "SagaCompleted";
  }

  /** As the orchestrator derives them: saga id, step, kind and attempt. */
  static String commandId(String sagaId, String step, String kind, int attempt) {
    return sagaId + "/" + step + "/" + kind + "/" + attempt;
  }

  /** The first {@code limit} violations, for a failure message. */
  List<String> firstViolations(int limit) {
    return violations.subList(0, Math.min(limit, violations.size()));
  }

  private void violation(String subject, String what) {
    violations.add(subject + " " + what);
  }

  private static String name(SagaEvent event) {
    return event.getEvent().getClass().getSimpleName();
  }
}
