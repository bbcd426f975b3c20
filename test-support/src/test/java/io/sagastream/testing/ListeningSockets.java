package io.sagastream.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The TCP sockets in LISTEN state on this Linux machine, read from /proc/net/tcp{,6}. */
final class ListeningSockets {

  private ListeningSockets() {}

  /** A listening socket: its local address (hex, as the kernel prints it), port and inode. */
  record Listener(String address, int port, long inode) {}

  /** The local addresses listening on {@code port}. */
  static List<String> addressesListeningOn(int port) throws IOException {
    return listeners().stream().filter(l -> l.port() == port).map(Listener::address).toList();
  }

  /** Every socket that the processes {@code pids} listen on. */
  static List<Listener> listenersOf(Set<Long> pids) throws IOException {
    Set<Long> inodes = new HashSet<>();
    for (long pid : pids) {
      Path fds = Path.of("/proc", Long.toString(pid), "fd");
      if (!Files.isDirectory(fds)) {
        continue;
      }
      try (Stream<Path> links = Files.list(fds)) {
        for (Path link : links.toList()) {
          try {
            String target = Files.readSymbolicLink(link).toString();
            if (target.startsWith("socket:[")) {
              inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
            }
          } catch (IOException e) {
            // The descriptor closed while we looked: not a listener we need.
          }
        }
      }
    }
    return listeners().stream().filter(l -> inodes.contains(l.inode())).toList();
  }

  private static List<Listener> listeners() throws IOException {
    List<Listener> listeners = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path path = Path.of(table);
      if (!Files.exists(path)) {
        continue;
      }
      List<String> lines = Files.readAllLines(path);
      for (String line : lines.subList(1, lines.size())) {
        String[] columns = line.trim().split("\\s+");
        String[] local = columns[1].split(":");
        if (columns[3].equals("0A")) {
          listeners.add(
              new Listener(local[0], Integer.parseInt(local[1], 16), Long.parseLong(columns[9])));
        }
      }
    }
    return listeners;
  }

  /**
   * 127.0.0.1 as /proc/net/tcp prints it (little-endian words), and in tcp6 ::1 or the IPv4-mapped
   * ::ffff:127.0.0.1 that Java's dual-stack sockets use.
   */
  static boolean isLoopback(String hexAddress) {
    return hexAddress.equals("0100007F")
        || hexAddress.equals("00000000000000000000000001000000")
        || hexAddress.equals("0000000000000000FFFF00000100007F");
  }
}
