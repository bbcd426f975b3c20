package io.sagastream.demo;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * Starts the demo's sagas through the nodes' HTTP API, taking turns between the nodes, and
 * publishes each order's payment confirmation after its start was accepted: as fast as the
 * orchestrator keeps up, or at a given rate. Either way at most {@link #MAX_OPEN} sagas are open at
 * once: past that, a saga's latency measures how long it queued, not how long its steps took, and
 * steps start to time out only because the participants are behind.
 */
final class DemoLoad implements AutoCloseable {

  private static final int IN_FLIGHT = 32;
  static final int MAX_OPEN = 200;

  private final List<OrchestratorApi> nodes;
  private final int sagas;
  private final OptionalDouble rate;
  private final IntSupplier ended;
  private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicReference<String> firstRefusal = new AtomicReference<>();
  private final Thread thread;
  private volatile boolean stopped;
  private volatile boolean finished;

  private DemoLoad(List<OrchestratorApi> nodes, int sagas, OptionalDouble rate, IntSupplier ended) {
    this.nodes = List.copyOf(nodes);
    this.sagas = sagas;
    this.rate = rate;
    this.ended = ended;
    this.thread = new Thread(this::run, "demo-load");
    this.thread.setDaemon(true);
  }

  /**
   * @param ended how many of the demo's sagas have ended so far (from the journal)
   */
  static DemoLoad start(
      List<OrchestratorApi> nodes, int sagas, OptionalDouble rate, IntSupplier ended) {
    DemoLoad load = new DemoLoad(nodes, sagas, rate, ended);
    load.thread.start();
    return load;
  }

  /** Sagas whose start a node accepted (202). */
  int accepted() {
    return accepted.get();
  }

  /** Sagas whose start or confirmation a node refused, or that got no answer. */
  int refused() {
    return refused.get();
  }

  Optional<String> firstRefusal() {
    return Optional.ofNullable(firstRefusal.get());
  }

  /** Whether every call has been made and answered. */
  boolean finished() {
    return finished;
  }

  private void run() {
    long begun = System.nanoTime();
    try {
      for (int number = 1; number <= sagas && !stopped; number++) {
        if (rate.isPresent()) {
          long due = begun + (long) ((number - 1) * 1_000_000_000L / rate.getAsDouble());
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
        while (accepted.get() - ended.getAsInt() >= MAX_OPEN && !stopped) {
          Thread.sleep(20);
        }
        inFlight.acquire();
        startOrder(number).whenComplete((ok, error) -> inFlight.release());
      }
      inFlight.acquire(IN_FLIGHT);
      finished = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private CompletableFuture<Void> startOrder(int number) {
    OrchestratorApi node = nodes.get(number % nodes.size());
    return node.postAsync("/sagas", DemoOrders.start(number))
        .thenCompose(
            started -> {
              if (started.statusCode() != 202) {
                refuse(number, "start", started);
                return CompletableFuture.completedFuture(null);
              }
              accepted.incrementAndGet();
              return node.postAsync("/messages", DemoOrders.paymentConfirmed(number))
                  .thenAccept(
                      confirmed -> {
                        if (confirmed.statusCode() != 202) {
                          refuse(number, "payment confirmation", confirmed);
                        }
                      });
            })
        .exceptionally(
            error -> {
              refused.incrementAndGet();
              firstRefusal.compareAndSet(null, DemoOrders.key(number) + ": " + error);
              return null;
            });
  }

  private void refuse(int number, String what, HttpResponse<String> answer) {
    refused.incrementAndGet();
    firstRefusal.compareAndSet(
        null,
        DemoOrders.key(number)
            + " "
            + what
            + ": HTTP "
            + answer.statusCode()
            + " "
            + answer.body());
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
