package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagastream.engine.EngineCommand;
import io.sagastream.engine.EngineCommand.HandleReply;
import io.sagastream.engine.EngineCommand.StartSaga;
import io.sagastream.engine.ReplyOutcome;
import io.sagastream.engine.RetryPolicy;
import io.sagastream.engine.SagaData;
import io.sagastream.engine.SagaDefinition;
import io.sagastream.engine.SagaEngine;
import io.sagastream.engine.SagaInstance;
import io.sagastream.engine.StepDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstanceViewsTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static final SagaDefinition DEFINITION =
      new SagaDefinition(
          "order-fulfilment", 1, Optional.empty(), List.of(step("reserve"), step("ship")));

  private static StepDefinition step(String name) {
    return new StepDefinition(
        name,
        name + ".commands",
        Optional.of(name + ".commands"),
        Duration.ofSeconds(30),
        RetryPolicy.DEFAULT,
        RetryPolicy.DEFAULT);
  }

  private SagaInstance instance;

  private void decide(EngineCommand command) {
    instance = SagaEngine.decide(DEFINITION, instance, command, T0).instance();
  }

  /** Fails the (first) command in flight for good, with {@code message} from the participant. */
  private void fail(String message) {
    decide(
        new HandleReply(
            instance.inFlight().get(0).commandId(), ReplyOutcome.FAILURE, "E42", message, null));
  }

  /** Reserve done, ship failed, and reserve's compensation failed too: an incident at reserve. */
  private void incidentWhereTheParticipantsSay(String message) {
    decide(new StartSaga("s-1", "order-1", "r-1", "ada", SagaData.of(new byte[0])));
    decide(
        new HandleReply(
            instance.inFlight().get(0).commandId(), ReplyOutcome.SUCCESS, null, null, null));
    fail(message);
    fail(message);
  }

  private static List<String> details(Map<String, Object> view) {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> history = (List<Map<String, Object>>) view.get("history");
    return history.stream().map(h -> (String) h.get("detail")).toList();
  }

  @Test
  void aParticipantThatGaveNoMessageIsShownAsNoMessageNotAsTheWordNull() {
    // given
    incidentWhereTheParticipantsSay(null);

    // when
    Map<String, Object> view = InstanceViews.view(instance, null, false);

    // then the incident's error is JSON null, and the journal says there was no message
    assertThat(new ObjectMapper().valueToTree(view.get("incident")).toString())
        .isEqualTo(
            "{\"step\":\"reserve\",\"raisedAt\":\"2026-01-01T00:00:00Z\",\"attempts\":1,"
                + "\"error\":null}");
    assertThat(details(view))
        .contains(
            "ship failed (no message from the participant)",
            "reserve needs an operator (no message from the participant)")
        .noneMatch(detail -> detail.contains("null"));
  }

  @Test
  void aParticipantsMessageIsShownAsItGaveIt() {
    incidentWhereTheParticipantsSay("out of stock");

    Map<String, Object> view = InstanceViews.view(instance, null, false);

    assertThat(view.get("incident"))
        .isEqualTo(
            Map.of(
                "step",
                "reserve",
                "raisedAt",
                "2026-01-01T00:00:00Z",
                "attempts",
                1,
                "error",
                "out of stock"));
    assertThat(details(view))
        .contains("ship failed: out of stock", "reserve needs an operator: out of stock");
  }
}
