package io.sagastream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowCostTest {

  @Test
  void aCostHandedOverOnOneLineReadsBackTheSame() {
    // given a node's cost with a figure in every part
    WindowCost node = cost(9_000, 1_000, new ClientTotals(1250.0, 3e6, 2.5e7, 2, 0.5), 3, 60);

    // when it goes over as a line and is read back
    WindowCost read = WindowCost.decode(node.encode());

    // then everything but the machine's share is there
    assertThat(read.processCpuNanos()).isEqualTo(9_000);
    assertThat(read.cpuByPart()).isEqualTo(node.cpuByPart());
    assertThat(read.allocatedByPart()).isEqualTo(node.allocatedByPart());
    assertThat(read.clients()).isEqualTo(node.clients());
    assertThat(read.gc()).isEqualTo(new GcPauses(3, 60));
    assertThat(read.machine()).isEqualTo(MachineTime.Share.UNKNOWN);
  }

  @Test
  void aNodesOwnJvmAddsItsThreadsAsTheNodesAndKeepsTheBenchmarksMachineShare() {
    // given the benchmark's process, and a node's JVM whose unnamed threads are Micronaut's
    WindowCost benchmark = cost(10_000, 100, new ClientTotals(0, 0, 0, 0, 4), 2, 100);
    WindowCost node = cost(5_000, 10, new ClientTotals(1300, 7, 11, 1, 0), 5, 50);

    // when
    WindowCost both = benchmark.plus(node);

    // then the node's "rest of the process" counts with the nodes' other threads, not the broker
    assertThat(both.processCpuNanos()).isEqualTo(15_000);
    assertThat(both.cpuByPart().get(ThreadsByPart.Part.STREAM_THREADS)).isEqualTo(110);
    assertThat(both.cpuByPart().get(ThreadsByPart.Part.BROKER)).isEqualTo(300);
    assertThat(both.cpuByPart().get(ThreadsByPart.Part.NODE_OTHER)).isEqualTo(200 + 20 + 30);
    assertThat(both.allocatedByPart().get(ThreadsByPart.Part.NODE_OTHER))
        .isEqualTo(2000 + 200 + 300);
    assertThat(both.clients()).isEqualTo(new ClientTotals(1300, 7, 11, 1, 4));
    assertThat(both.gc()).isEqualTo(new GcPauses(7, 150));
    assertThat(both.machine()).isEqualTo(benchmark.machine());
  }

  @Test
  void aLineThatIsNotACostIsRefused() {
    assertThatThrownBy(() -> WindowCost.decode("12 1,2,3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Not a window's cost");
  }

  /** Each part's CPU is {@code unit} times its ordinal plus one; its allocation ten times that. */
  private static WindowCost cost(
      long process, long unit, ClientTotals clients, long pauses, long pauseMillis) {
    Map<ThreadsByPart.Part, Long> cpu = new EnumMap<>(ThreadsByPart.Part.class);
    Map<ThreadsByPart.Part, Long> allocated = new EnumMap<>(ThreadsByPart.Part.class);
    for (ThreadsByPart.Part part : ThreadsByPart.Part.values()) {
      cpu.put(part, unit * (part.ordinal() + 1));
      allocated.put(part, 10 * unit * (part.ordinal() + 1));
    }
    return new WindowCost(
        process,
        cpu,
        allocated,
        new MachineTime.Share(80, 1),
        clients,
        new GcPauses(pauses, pauseMillis));
  }
}
