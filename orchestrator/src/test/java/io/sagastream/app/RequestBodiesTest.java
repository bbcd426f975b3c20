package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What the API takes as one JSON body, and what it refuses with a 400. */
class RequestBodiesTest {

  @Test
  void oneObjectIsTaken() {
    assertThat(SagasController.parse("{\"key\": \"order-1\"}").get("key").asText())
        .isEqualTo("order-1");
  }

  @Test
  void aSecondObjectAfterTheFirstIsRefusedNotIgnored() {
    assertThatThrownBy(() -> SagasController.parse("{\"key\": \"order-1\"} {\"key\": \"order-2\"}"))
        .isInstanceOf(BadRequestException.class);
  }

  @Test
  void aFieldGivenTwiceIsRefused() {
    assertThatThrownBy(() -> SagasController.parse("{\"key\": \"order-1\", \"key\": \"order-2\"}"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("key");
  }
}
