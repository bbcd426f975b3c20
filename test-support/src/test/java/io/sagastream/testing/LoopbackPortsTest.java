package io.sagastream.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

  @Test
  void theKernelsRangeIsReadAsItWritesIt() {
    assertThat(LoopbackPorts.rangeStart("32768\t60999\n")).isEqualTo(32768);
    assertThat(LoopbackPorts.rangeStart(" 1024 65535")).isEqualTo(1024);
  }

  @Test
  void theRangeOfThisMachineIsReadWhole() {
    // given the range this machine's kernel reports (Linux's default where it has none)
    int start = LoopbackPorts.ephemeralRangeStart();

    // then it is a port number, not the first digit of one
    assertThat(start).isBetween(1024, 65535);
  }

  @Test
  void portsAreFreeDistinctAndBelowTheEphemeralRange() throws IOException {
    // given
    int rangeStart = LoopbackPorts.ephemeralRangeStart();

    // when
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ports.add(LoopbackPorts.free());
    }

    // then
    assertThat(ports).doesNotHaveDuplicates();
    assertThat(ports)
        .allSatisfy(port -> assertThat(port).isBetween(LoopbackPorts.LOWEST, rangeStart - 1));
    try (ServerSocket bound = new ServerSocket(ports.get(0), 1, InetAddress.getLoopbackAddress())) {
      assertThat(bound.getLocalPort()).isEqualTo(ports.get(0));
    }
  }
}
