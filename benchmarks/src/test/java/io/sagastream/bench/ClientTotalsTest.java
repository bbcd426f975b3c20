package io.sagastream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientTotalsTest {

  @Test
  void countsTheStreamThreadsOwnConsumerAsItsMainConsumer() {
    assertThat(ClientTotals.isMainConsumer("bench-1-n2.app-5f1c-StreamThread-1-consumer")).isTrue();
  }

  @Test
  void leavesOutTheRestoreConsumerAndOtherConsumers() {
    assertThat(ClientTotals.isMainConsumer("bench-1-n2.app-5f1c-StreamThread-1-restore-consumer"))
        .isFalse();
    assertThat(ClientTotals.isMainConsumer("bench-1-n2.app-5f1c-admin")).isFalse();
    assertThat(ClientTotals.isMainConsumer("bench-journal")).isFalse();
  }
}
