package io.sagastream.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagastream.registry.testing.OrderPlaced;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubjectNameStrategyTest {

  private static final Schema ORDER = OrderPlaced.getClassSchema();

  @ParameterizedTest
  @CsvSource({
    "TOPIC, false, orders-value",
    "TOPIC, true, orders-key",
    "RECORD, false, io.sagastream.registry.testing.OrderPlaced",
    "TOPIC_RECORD, false, orders-io.sagastream.registry.testing.OrderPlaced"
  })
  void subjectsAreNamedAsConfluentClientsNameThem(
      SubjectNameStrategy strategy, boolean isKey, String subject) {
    assertThat(strategy.subject("orders", isKey, ORDER)).isEqualTo(subject);
  }

  @ParameterizedTest
  @CsvSource({
    "topic, TOPIC",
    "record, RECORD",
    "topic-record, TOPIC_RECORD",
    "io.confluent.kafka.serializers.subject.TopicNameStrategy, TOPIC",
    "io.confluent.kafka.serializers.subject.RecordNameStrategy, RECORD",
    "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy, TOPIC_RECORD"
  })
  void strategiesAreReadFromShortNamesAndConfluentClassNames(
      String configured, SubjectNameStrategy expected) {
    assertThat(SubjectNameStrategy.parse(configured)).isEqualTo(expected);
  }

  @Test
  void anUnknownStrategyIsRefusedWithTheChoices() {
    assertThatThrownBy(() -> SubjectNameStrategy.parse("by-team"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("by-team")
        .hasMessageContaining("topic, record or topic-record");
  }

  @Test
  void recordNamingNeedsARecord() {
    assertThatThrownBy(
            () -> SubjectNameStrategy.RECORD.subject("t", false, Schema.create(Schema.Type.STRING)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("STRING");
  }
}
