package io.sagastream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The machine a run measured: CPU model, cores, memory, JDK and OS, from {@code /proc} and the
 * system properties, and the load average before the run (other work on the machine).
 */
record MachineInfo(
    String cpu, int cores, String memory, String jdk, String os, String loadAverage) {

  static MachineInfo read() {
    String cpu =
        lines("/proc/cpuinfo").stream()
            .filter(line -> line.startsWith("model name"))
            .map(line -> line.substring(line.indexOf(':') + 1).trim())
            .findFirst()
            .orElse(System.getProperty("os.arch"));
    String memory =
        lines("/proc/meminfo").stream()
            .filter(line -> line.startsWith("MemTotal:"))
            .map(line -> line.replaceAll("[^0-9]", ""))
            .findFirst()
            .map(kb -> String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(kb) / 1024.0 / 1024.0))
            .orElse("unknown");
    String jdk =
        System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")";
    String os =
        prettyOs().orElse(System.getProperty("os.name"))
            + ", kernel "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch");
    return new MachineInfo(
        cpu, Runtime.getRuntime().availableProcessors(), memory, jdk, os, currentLoadAverage());
  }

  /** The 1, 5 and 15 minute load averages, now. */
  static String currentLoadAverage() {
    List<String> load = lines("/proc/loadavg");
    if (load.isEmpty()) {
      return "unknown";
    }
    String[] parts = load.get(0).split(" ");
    return parts[0] + " " + parts[1] + " " + parts[2];
  }

  private static Optional<String> prettyOs() {
    return lines("/etc/os-release").stream()
        .filter(line -> line.startsWith("PRETTY_NAME="))
        .map(line -> line.substring("PRETTY_NAME=".length()).replace("\"", ""))
        .findFirst();
  }

  private static List<String> lines(String file) {
    try {
      return Files.readAllLines(Path.of(file));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }
}
