package io.sagastream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.contracts.DeadLetterHeaders;
import io.sagastream.contracts.v1.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

  private static final Instant NOW = Instant.parse("2026-11-25T05:00:00Z");

  @Test
  void aRecordResentFromTheDeadLetterTopicCarriesOnlyItsNewFailure() {
    // given a record that was a dead letter once, read from the replies topic at offset 41, whose
    // value was too large to copy, and that carries a header of its own
    Headers earlier = new RecordHeaders();
    earlier.add("traceparent", bytes("00-abc-def-01"));
    earlier.add(DeadLetterHeaders.REASON, bytes("UNREADABLE_VALUE"));
    earlier.add(DeadLetterHeaders.SOURCE_TOPIC, bytes("saga.replies"));
    earlier.add(DeadLetterHeaders.SOURCE_PARTITION, bytes("2"));
    earlier.add(DeadLetterHeaders.SOURCE_OFFSET, bytes("41"));
    earlier.add(DeadLetterHeaders.VALUE_OMITTED, bytes("9000000"));

    // when it fails again where its position is not known (a message the inbox kept)
    Headers headers =
        DeadLetters.headers(
            earlier,
            DeadLetterReason.UNKNOWN_SAGA,
            "no saga",
            new DeadLetters.Source("saga.messages", null, null),
            new IllegalStateException("no saga"),
            NOW);

    // then each dead-letter header is there once, for the new failure, and no old position stays
    assertThat(values(headers, DeadLetterHeaders.REASON)).containsExactly("UNKNOWN_SAGA");
    assertThat(values(headers, DeadLetterHeaders.SOURCE_TOPIC)).containsExactly("saga.messages");
    assertThat(values(headers, DeadLetterHeaders.SOURCE_PARTITION)).isEmpty();
    assertThat(values(headers, DeadLetterHeaders.SOURCE_OFFSET)).isEmpty();
    assertThat(values(headers, DeadLetterHeaders.VALUE_OMITTED)).isEmpty();
    assertThat(values(headers, DeadLetterHeaders.FAILED_AT)).containsExactly(NOW.toString());
    assertThat(values(headers, "traceparent")).containsExactly("00-abc-def-01");
    // and the record's own headers are not changed
    assertThat(values(earlier, DeadLetterHeaders.REASON)).containsExactly("UNREADABLE_VALUE");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> values(Headers headers, String name) {
    return StreamSupport.stream(headers.headers(name).spliterator(), false)
        .map(Header::value)
        .map(value -> new String(value, StandardCharsets.UTF_8))
        .toList();
  }
}
