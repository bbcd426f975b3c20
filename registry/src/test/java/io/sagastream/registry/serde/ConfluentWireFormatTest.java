package io.sagastream.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagastream.registry.serde.UnreadableRecordException.Reason;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ConfluentWireFormatTest {

  @Test
  void aFramedBodyStartsWithMagicZeroAndTheBigEndianSchemaId() {
    // when
    byte[] framed = ConfluentWireFormat.frame(0x01020304, new byte[] {42, 43});

    // then
    assertThat(framed).containsExactly(0, 1, 2, 3, 4, 42, 43);
  }

  @Test
  void aHeaderWrittenAheadOfItsBodyIsTheFramedOnesAndUnframesToTheId() {
    // given a large id, whose top byte would be negative as a Java byte
    int schemaId = 0x8A0B0C0D;

    // when
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    ConfluentWireFormat.writeHeader(out, schemaId);
    out.write(42);

    // then
    assertThat(out.toByteArray()).isEqualTo(ConfluentWireFormat.frame(schemaId, new byte[] {42}));
    assertThat(ConfluentWireFormat.unframe("orders", out.toByteArray()).schemaId())
        .isEqualTo(schemaId);
  }

  @Test
  void unframingReturnsTheIdAndTheBody() {
    // given
    byte[] framed = ConfluentWireFormat.frame(7, new byte[] {9, 8, 7});

    // when
    ConfluentWireFormat.Framed read = ConfluentWireFormat.unframe("orders", framed);

    // then
    assertThat(read.schemaId()).isEqualTo(7);
    ByteBuffer body = read.body();
    byte[] bytes = new byte[body.remaining()];
    body.get(bytes);
    assertThat(bytes).containsExactly(9, 8, 7);
  }

  @Test
  void zeroBytesAreUnreadable() {
    assertThatThrownBy(() -> ConfluentWireFormat.unframe("orders", new byte[0]))
        .isInstanceOfSatisfying(
            UnreadableRecordException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EMPTY))
        .hasMessageContaining("orders");
  }

  @Test
  void anotherMagicByteIsUnreadableAndNamed() {
    assertThatThrownBy(() -> ConfluentWireFormat.unframe("orders", "{\"json\":1}".getBytes()))
        .isInstanceOfSatisfying(
            UnreadableRecordException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_MAGIC_BYTE))
        .hasMessageContaining("0x7b");
  }

  @Test
  void aHeaderCutShortIsUnreadable() {
    assertThatThrownBy(() -> ConfluentWireFormat.unframe("orders", new byte[] {0, 0, 1}))
        .isInstanceOfSatisfying(
            UnreadableRecordException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED_HEADER));
  }
}
