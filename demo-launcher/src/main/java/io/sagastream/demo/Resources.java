package io.sagastream.demo;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the demo has started, closed in reverse order by whichever comes first: the end of the demo,
 * or Ctrl-C (the shutdown hook). Closing happens once; a part that fails to close is logged and the
 * others still close.
 */
final class Resources {

  private static final Logger LOG = LoggerFactory.getLogger(Resources.class);

  /** Something started, with a name for the log. */
  private record Started(String name, AutoCloseable resource) {}

  private final Deque<Started> started = new ArrayDeque<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private boolean closing;

  /** Keeps {@code resource} for closing; if closing has begun, closes it at once instead. */
  <T extends AutoCloseable> T add(String name, T resource) {
    boolean late;
    synchronized (this) {
      late = closing;
      if (!late) {
        started.push(new Started(name, resource));
      }
    }
    if (late) {
      close(new Started(name, resource));
      throw new IllegalStateException("The demo is stopping; " + name + " was closed again");
    }
    return resource;
  }

  synchronized boolean isClosing() {
    return closing;
  }

  /**
   * Closes everything added so far, newest first. A second caller (Ctrl-C while the demo ends by
   * itself) waits until the first is done, so that nobody exits the JVM half-way.
   */
  void closeAll() {
    boolean first;
    synchronized (this) {
      first = !closing;
      closing = true;
    }
    if (!first) {
      awaitClosed();
      return;
    }
    while (true) {
      Started next;
      synchronized (this) {
        next = started.poll();
      }
      if (next == null) {
        break;
      }
      close(next);
    }
    closed.countDown();
  }

  private void awaitClosed() {
    boolean interrupted = false;
    while (true) {
      try {
        closed.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void close(Started next) {
    long begun = System.nanoTime();
    try {
      next.resource().close();
      LOG.info("Closed {} in {} ms", next.name(), (System.nanoTime() - begun) / 1_000_000);
    } catch (Exception e) {
      LOG.warn("Could not close {} cleanly", next.name(), e);
    }
  }
}
