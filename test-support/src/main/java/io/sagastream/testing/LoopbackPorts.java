package io.sagastream.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Loopback ports for servers that start a while after their port is chosen: a node's JVM, a
 * registry's process, an HTTP server that Micronaut starts.
 *
 * <p>A port the kernel hands out for port 0 comes from its ephemeral range, which every outgoing
 * connection and every other server on port 0 draws from too, so it is free only until somebody
 * else is given it. In a CI run a node found its port taken that way, could not start its HTTP
 * server, and the group never settled. Ports below the range are handed out by nobody.
 */
public final class LoopbackPorts {

  static final int LOWEST = 20_000;
  private static final int LINUX_DEFAULT_RANGE_START = 32_768;
  private static final Path RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final Random RANDOM = new Random();
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private LoopbackPorts() {}

  /** A loopback port that is free now, below the ephemeral range, not handed out before here. */
  public static synchronized int free() {
    int rangeStart = ephemeralRangeStart();
    if (rangeStart - LOWEST < 1000) {
      return kernelChosen();
    }
    for (int attempt = 0; attempt < 200; attempt++) {
      int candidate = LOWEST + RANDOM.nextInt(rangeStart - LOWEST);
      if (!HANDED_OUT.contains(candidate) && isFree(candidate)) {
        HANDED_OUT.add(candidate);
        return candidate;
      }
    }
    throw new IllegalStateException("No free loopback port from " + LOWEST + " to " + rangeStart);
  }

  /** The first port of the kernel's ephemeral range (Linux's default where it cannot be read). */
  static int ephemeralRangeStart() {
    try {
      // Files.readString trusts the size that /proc reports, and reads one character of it.
      List<String> lines = Files.readAllLines(RANGE);
      return lines.isEmpty() ? LINUX_DEFAULT_RANGE_START : rangeStart(lines.get(0));
    } catch (IOException | RuntimeException e) {
      return LINUX_DEFAULT_RANGE_START;
    }
  }

  /** The first port of a range written as the kernel writes it, for example "32768\t60999". */
  static int rangeStart(String range) {
    return Integer.parseInt(range.trim().split("\\s+")[0]);
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  private static int kernelChosen() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("No free loopback port: " + e, e);
    }
  }
}
