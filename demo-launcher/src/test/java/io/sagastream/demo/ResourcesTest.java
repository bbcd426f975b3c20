package io.sagastream.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ResourcesTest {

  private final List<String> closed = new CopyOnWriteArrayList<>();
  private final Resources resources = new Resources();

  @Test
  void theNewestIsClosedFirstAndAFailureDoesNotStopTheOthers() {
    resources.add("kafka", () -> closed.add("kafka"));
    resources.add(
        "node",
        () -> {
          throw new IllegalStateException("stuck");
        });
    resources.add("participants", () -> closed.add("participants"));

    resources.closeAll();

    assertThat(closed).containsExactly("participants", "kafka");
  }

  @Test
  void aSecondCallerWaitsUntilTheFirstHasClosedEverything() throws Exception {
    // given a resource that takes a while to close, being closed by a first caller
    CountDownLatch closing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    resources.add(
        "slow",
        () -> {
          closing.countDown();
          release.await();
          closed.add("slow");
        });
    Thread first = new Thread(resources::closeAll);
    first.start();
    closing.await();

    // when a second caller closes too
    Thread second =
        new Thread(
            () -> {
              resources.closeAll();
              closed.add("second returned");
            });
    second.start();
    TimeUnit.MILLISECONDS.sleep(200);
    assertThat(closed).isEmpty();
    release.countDown();
    second.join(5_000);
    first.join(5_000);

    // then it returned only after the slow resource had closed
    assertThat(closed).containsExactly("slow", "second returned");
  }

  @Test
  void whatStartsAfterClosingBegunIsClosedAtOnce() {
    resources.closeAll();

    assertThatThrownBy(() -> resources.add("late node", () -> closed.add("late node")))
        .hasMessageContaining("stopping");
    assertThat(closed).containsExactly("late node");
  }
}
