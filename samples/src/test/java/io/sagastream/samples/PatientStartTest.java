package io.sagastream.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PatientStartTest {

  private static final Duration PAUSE = Duration.ofMillis(5);

  @Test
  void aStartThatFailsAtFirstIsTriedAgainUntilItSucceeds() throws InterruptedException {
    // given a start that fails twice, as while Kafka is still coming up
    AtomicInteger tries = new AtomicInteger();

    // when it is started patiently
    String started =
        PatientStart.start(
            "the test participants",
            () -> {
              if (tries.incrementAndGet() < 3) {
                throw new IllegalStateException("Kafka did not answer within 60 s");
              }
              return "started";
            },
            PAUSE,
            PAUSE.multipliedBy(2));

    // then it was tried until it succeeded, and no more
    assertThat(started).isEqualTo("started");
    assertThat(tries).hasValue(3);
  }

  @Test
  void anInterruptWhileWaitingToTryAgainEndsTheWaiting() throws InterruptedException {
    // given a start that keeps failing, tried on a thread of its own
    AtomicInteger tries = new AtomicInteger();
    AtomicReference<Throwable> ended = new AtomicReference<>();
    Thread starting =
        new Thread(
            () -> {
              try {
                PatientStart.start(
                    "the test participants",
                    () -> {
                      tries.incrementAndGet();
                      throw new IllegalStateException("refused");
                    },
                    PAUSE,
                    Duration.ofSeconds(30));
              } catch (InterruptedException e) {
                ended.set(e);
              }
            });
    starting.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> tries.get() >= 3);

    // when the process is stopped
    starting.interrupt();

    // then the start ends, without trying again
    starting.join(Duration.ofSeconds(10).toMillis());
    assertThat(starting.isAlive()).isFalse();
    assertThat(ended.get()).isInstanceOf(InterruptedException.class);
    int triesWhenStopped = tries.get();
    Thread.sleep(50);
    assertThat(tries).hasValue(triesWhenStopped);
  }

  @Test
  void theReasonLoggedNamesTheInnermostCauseThatSaysWhatToFix() {
    // given Kafka's client wrapping the real problem
    RuntimeException failure =
        new IllegalStateException(
            "Failed to create new KafkaAdminClient",
            new IllegalArgumentException("No resolvable bootstrap urls given"));

    // when the reason is told, then it carries both
    assertThat(PatientStart.reason(failure))
        .contains("Failed to create new KafkaAdminClient")
        .endsWith(
            "caused by java.lang.IllegalArgumentException: No resolvable bootstrap urls given");
  }
}
