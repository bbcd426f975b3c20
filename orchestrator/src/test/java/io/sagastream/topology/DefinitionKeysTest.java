package io.sagastream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DefinitionKeysTest {

  @Test
  void shouldPadVersionsAsTheFormatterDid() {
    assertThat(DefinitionKeys.key("order", 7)).isEqualTo("order@" + String.format("%010d", 7));
    assertThat(DefinitionKeys.zeroPadded(0, 19)).isEqualTo(String.format("%019d", 0));
    assertThat(DefinitionKeys.zeroPadded(Long.MAX_VALUE, 19))
        .isEqualTo(Long.toString(Long.MAX_VALUE));
    assertThat(DefinitionKeys.version(DefinitionKeys.key("order", 123))).isEqualTo(123);
  }
}
