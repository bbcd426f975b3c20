package io.sagastream.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Starts a scenario's order-fulfilment sagas through the nodes' HTTP API ({@code POST /sagas}),
 * each followed by its payment confirmation ({@code POST /messages}), taking turns between the
 * nodes that serve. A call that fails (a node killed or stopping, a 5xx) is made again on the next
 * node until it is accepted: starts are idempotent by request id and messages by message id, as a
 * real client would rely on. At most {@code maxOpen} sagas are open at once; with a rate, starts
 * are spread over time, so that a disturbance meets a steady load.
 */
final class SagaLoad implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int IN_FLIGHT = 8;
  private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(3);
  private static final String[] STREETS = {"Main Street", "Harbour Road", "Mill Lane"};

  /**
   * @param scenario the letter every saga key starts with
   * @param sagas how many sagas to start (fewer if {@link #stopStarting} comes first)
   * @param perSecond starts per second; 0 for as fast as the open limit allows
   */
  record Plan(String scenario, String definition, int sagas, double perSecond, int maxOpen) {}

  private final Plan plan;
  private final Supplier<List<NodeProcess>> nodes;
  private final IntSupplier ended;
  private final ExecutorService callers = Executors.newFixedThreadPool(IN_FLIGHT, daemon());
  private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger retriedCalls = new AtomicInteger();
  private final List<String> keys = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;
  private volatile boolean finished;
  private volatile long firstStartNanos;
  private volatile long lastStartNanos;

  private SagaLoad(Plan plan, Supplier<List<NodeProcess>> nodes, IntSupplier ended) {
    this.plan = plan;
    this.nodes = nodes;
    this.ended = ended;
    this.thread = new Thread(this::run, "system-test-load-" + plan.scenario());
    this.thread.setDaemon(true);
  }

  /**
   * @param nodes the nodes that serve now
   * @param ended how many of the scenario's sagas have ended (from the journal)
   */
  static SagaLoad start(Plan plan, Supplier<List<NodeProcess>> nodes, IntSupplier ended) {
    SagaLoad load = new SagaLoad(plan, nodes, ended);
    load.thread.start();
    return load;
  }

  static String key(String scenario, int number) {
    return String.format(Locale.ROOT, "%s-order-%05d", scenario, number);
  }

  int accepted() {
    return accepted.get();
  }

  /** Calls made again after a failure or a refusal. */
  int retriedCalls() {
    return retriedCalls.get();
  }

  /** Keys of the sagas whose start and confirmation were accepted. */
  synchronized List<String> keys() {
    return List.copyOf(keys);
  }

  /** Calls that were never accepted, however often tried. */
  synchronized List<String> failures() {
    return List.copyOf(failures);
  }

  boolean finished() {
    return finished;
  }

  long firstStartNanos() {
    return firstStartNanos;
  }

  /** When the last start was accepted. */
  long lastStartNanos() {
    return lastStartNanos;
  }

  /** Starts no more sagas; those started go on. */
  void stopStarting() {
    stopped = true;
  }

  /** Waits until {@code count} starts were accepted (or the load finished). */
  void awaitAccepted(int count, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (accepted.get() < count && !finished) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "Only " + accepted.get() + " of " + count + " starts accepted within " + within);
      }
      NodeProcess.sleep(20);
    }
  }

  /** Waits until every call has been made and answered. */
  void awaitFinished(Duration within) {
    try {
      thread.join(within.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!finished) {
      throw new AssertionError("The load did not finish within " + within);
    }
  }

  private void run() {
    long begun = System.nanoTime();
    try {
      for (int number = 1; number <= plan.sagas() && !stopped; number++) {
        if (plan.perSecond() > 0) {
          long due = begun + (long) ((number - 1) * 1e9 / plan.perSecond());
          long wait = due - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
        while (accepted.get() - ended.getAsInt() >= plan.maxOpen() && !stopped) {
          Thread.sleep(20);
        }
        if (stopped) {
          break;
        }
        inFlight.acquire();
        int order = number;
        callers.execute(
            () -> {
              try {
                startOrder(order);
              } finally {
                inFlight.release();
              }
            });
      }
      inFlight.acquire(IN_FLIGHT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      finished = true;
    }
  }

  private void startOrder(int number) {
    String key = key(plan.scenario(), number);
    if (!call(number, "/sagas", start(key, number))) {
      return;
    }
    long now = System.nanoTime();
    synchronized (this) {
      if (keys.isEmpty()) {
        firstStartNanos = now;
      }
      keys.add(key);
    }
    lastStartNanos = now;
    accepted.incrementAndGet();
    call(number, "/messages", paymentConfirmed(key));
  }

  /** Makes the call until a node accepts it (202); false, and a failure noted, if none does. */
  private boolean call(int number, String path, String body) {
    long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
    String last = "no node serves";
    for (int attempt = 0; ; attempt++) {
      List<NodeProcess> serving = nodes.get();
      if (!serving.isEmpty()) {
        NodeProcess node = serving.get((number + attempt) % serving.size());
        try {
          HttpResponse<String> answer = node.post(path, body);
          if (answer.statusCode() == 202) {
            return true;
          }
          last = node.name() + " answered " + answer.statusCode() + " " + answer.body();
        } catch (IOException e) {
          last = node.name() + ": " + e;
        }
      }
      if (System.nanoTime() > deadline) {
        synchronized (this) {
          failures.add("POST " + path + " of " + key(plan.scenario(), number) + ": " + last);
        }
        return false;
      }
      retriedCalls.incrementAndGet();
      NodeProcess.sleep(Math.min(1_000, 100L * (attempt + 1)));
    }
  }

  private String start(String key, int number) {
    ObjectNode body = JSON.createObjectNode();
    body.put("definition", plan.definition());
    body.put("key", key);
    // The request id makes the saga id, from which the command ids and the faults derive.
    body.put("requestId", key);
    ObjectNode data = body.putObject("data");
    data.put("orderId", key);
    data.put("customerId", "customer-" + (number % 97));
    data.put("sku", "sku-" + (number % 13));
    data.put("quantity", 1 + number % 3);
    data.put("amount", 500 + (number * 7919L) % 20_000);
    data.put("address", (1 + number % 120) + " " + STREETS[number % STREETS.length]);
    return body.toString();
  }

  private static String paymentConfirmed(String key) {
    ObjectNode body = JSON.createObjectNode();
    body.put("name", "PaymentConfirmed");
    body.put("key", key);
    body.put("messageId", "confirmation-" + key);
    body.put("ttl", "PT10M");
    body.putObject("data").put("confirmationId", "conf-" + key);
    return body.toString();
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
    callers.shutdownNow();
  }

  private static ThreadFactory daemon() {
    return runnable -> {
      Thread thread = new Thread(runnable, "system-test-load-call");
      thread.setDaemon(true);
      return thread;
    };
  }
}
