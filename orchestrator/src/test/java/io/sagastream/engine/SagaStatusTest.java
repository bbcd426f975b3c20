package io.sagastream.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SagaStatusTest {

  @Test
  void onlyCompletedAndCompensatedAreTerminal() {
    assertThat(Arrays.stream(SagaStatus.values()).filter(SagaStatus::isTerminal))
        .containsExactlyInAnyOrder(SagaStatus.COMPLETED, SagaStatus.COMPENSATED);
  }

  @Test
  void aFailedSagaWaitsForItsIncidentToBeResolved() {
    assertThat(SagaStatus.FAILED.isTerminal()).isFalse();
  }
}
