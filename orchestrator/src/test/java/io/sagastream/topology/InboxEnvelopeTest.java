package io.sagastream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class InboxEnvelopeTest {

  private static final byte[] MESSAGE = "avro bytes".getBytes(StandardCharsets.UTF_8);

  @Test
  void aKeptMessageReadsBackAsWritten() {
    Inbox.Envelope kept = new Inbox.Envelope("payment-42", 1_700_000_000_123L, MESSAGE);

    Inbox.Envelope read = Inbox.decode(Inbox.encode(kept));

    assertThat(read.messageId()).isEqualTo("payment-42");
    assertThat(read.expiresAtMillis()).isEqualTo(1_700_000_000_123L);
    assertThat(read.value()).isEqualTo(MESSAGE);
  }

  @Test
  void aMessageWithoutAnIdStaysWithoutOne() {
    Inbox.Envelope kept = new Inbox.Envelope(null, 5L, MESSAGE);

    Inbox.Envelope read = Inbox.decode(Inbox.encode(kept));

    assertThat(read.messageId()).isNull();
    assertThat(read.value()).isEqualTo(MESSAGE);
  }

  @Test
  void anEntryWrittenAsJsonByAnEarlierBuildIsStillRead() {
    Inbox.Envelope kept = new Inbox.Envelope("shipment-7", 99L, MESSAGE);

    Inbox.Envelope read = Inbox.decode(Inbox.encodeJson(kept));

    assertThat(read.messageId()).isEqualTo("shipment-7");
    assertThat(read.expiresAtMillis()).isEqualTo(99L);
    assertThat(read.value()).isEqualTo(MESSAGE);
  }

  @Test
  void aTruncatedEntryIsReportedAsUnreadable() {
    byte[] whole = Inbox.encode(new Inbox.Envelope("payment-42", 5L, MESSAGE));

    byte[] truncated = Arrays.copyOf(whole, 8);

    assertThatThrownBy(() -> Inbox.decode(truncated))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unreadable inbox entry");
  }
}
