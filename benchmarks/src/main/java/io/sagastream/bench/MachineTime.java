package io.sagastream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine's CPU time so far, from {@code /proc/stat}. Over a window it tells how busy all cores
 * were, and how much time the hypervisor gave to other guests (steal): a virtual machine's figures
 * move with its neighbours, and a run's report should say how much.
 */
record MachineTime(long busy, long idle, long steal) {

  private static final Path STAT = Path.of("/proc/stat");

  /** How the cores spent a window, in percent of all their time; NaN where unknown. */
  record Share(double busyPercent, double stealPercent) {

    static final Share UNKNOWN = new Share(Double.NaN, Double.NaN);

    String text() {
      return Double.isNaN(busyPercent)
          ? "n/a"
          : String.format(Locale.ROOT, "%.0f%% busy, %.0f%% steal", busyPercent, stealPercent);
    }
  }

  /** Now; all zero where {@code /proc/stat} cannot be read (not Linux). */
  static MachineTime now() {
    try {
      for (String line : Files.readAllLines(STAT)) {
        if (line.startsWith("cpu ")) {
          return parse(line);
        }
      }
    } catch (IOException | RuntimeException e) {
      // reported as unknown
    }
    return new MachineTime(0, 0, 0);
  }

  /** The aggregate line: user nice system idle iowait irq softirq steal (guest time is in user). */
  static MachineTime parse(String line) {
    String[] f = line.trim().split("\\s+");
    long user = Long.parseLong(f[1]);
    long nice = Long.parseLong(f[2]);
    long system = Long.parseLong(f[3]);
    long idle = Long.parseLong(f[4]);
    long iowait = Long.parseLong(f[5]);
    long irq = Long.parseLong(f[6]);
    long softirq = Long.parseLong(f[7]);
    long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
    return new MachineTime(user + nice + system + irq + softirq, idle + iowait, steal);
  }

  Share since(MachineTime before) {
    long busyTicks = busy - before.busy;
    long total = busyTicks + (idle - before.idle) + (steal - before.steal);
    if (total <= 0) {
      return Share.UNKNOWN;
    }
    return new Share(100.0 * busyTicks / total, 100.0 * (steal - before.steal) / total);
  }
}
