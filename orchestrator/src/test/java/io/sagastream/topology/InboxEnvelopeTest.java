package io.sagastream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InboxEnvelopeTest {

  private static final byte[] MESSAGE = "avro bytes".getBytes(StandardCharsets.UTF_8);

  static Stream<Arguments> layouts() {
    Function<Inbox.Envelope, byte[]> binary = Inbox::encode;
    Function<Inbox.Envelope, byte[]> jsonOfEarlierBuilds = Inbox::encodeJson;
    return Stream.of(
        Arguments.of("binary", binary),
        Arguments.of("JSON of earlier builds", jsonOfEarlierBuilds));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layouts")
  void aKeptMessageReadsBackAsWrittenInEitherLayout(
      String layout, Function<Inbox.Envelope, byte[]> write) {
    Inbox.Envelope kept = new Inbox.Envelope("payment-42", 1_700_000_000_123L, MESSAGE);

    Inbox.Envelope read = Inbox.decode(write.apply(kept));

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
  void aTruncatedEntryIsReportedAsUnreadable() {
    byte[] whole = Inbox.encode(new Inbox.Envelope("payment-42", 5L, MESSAGE));

    byte[] truncated = Arrays.copyOf(whole, 8);

    assertThatThrownBy(() -> Inbox.decode(truncated))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unreadable inbox entry");
  }
}
