package io.sagastream.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The TCP sockets in LISTEN state on this Linux machine, read from /proc/net/tcp{,6}. */
final class ListeningSockets {

  private ListeningSockets() {}

  /** The local addresses (hex, as the kernel prints them) listening on {@code port}. */
  static List<String> addressesListeningOn(int port) throws IOException {
    List<String> addresses = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path path = Path.of(table);
      if (!Files.exists(path)) {
        continue;
      }
      for (String line : Files.readAllLines(path).subList(1, Files.readAllLines(path).size())) {
        String[] columns = line.trim().split("\\s+");
        String[] local = columns[1].split(":");
        boolean listening = columns[3].equals("0A");
        if (listening && Integer.parseInt(local[1], 16) == port) {
          addresses.add(local[0]);
        }
      }
    }
    return addresses;
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
