package io.sagastream.worker;

import io.sagastream.contracts.SagaHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Where a command's reply goes and what it must echo: the least a command needs to be answered at
 * all, even when nothing else about it can be read.
 *
 * @param sagaName echoed when present: it lets the orchestrator find the saga without a scan
 * @param traceparent echoed when present, so the reply stays in the saga's trace
 */
record ReplyAddress(
    String replyTo,
    byte[] key,
    String sagaId,
    String sagaName,
    String commandId,
    String traceparent) {

  /** The reply record: same key, echoed headers, the outcome, and the framed value or null. */
  ProducerRecord<byte[], byte[]> reply(Reply reply, byte[] value) {
    RecordHeaders headers = new RecordHeaders();
    add(headers, SagaHeaders.SAGA_ID, sagaId);
    add(headers, SagaHeaders.SAGA_NAME, sagaName);
    add(headers, SagaHeaders.COMMAND_ID, commandId);
    add(headers, SagaHeaders.TRACEPARENT, traceparent);
    add(headers, SagaHeaders.OUTCOME, reply.outcome().headerValue());
    add(headers, SagaHeaders.ERROR_CODE, shortened(reply.errorCode().orElse(null), 200));
    add(headers, SagaHeaders.ERROR_MESSAGE, shortened(reply.errorMessage().orElse(null), 2000));
    return new ProducerRecord<>(replyTo, null, key, value, headers);
  }

  /**
   * At most {@code longest} characters of {@code text}: an exception's message can be as long as
   * what it quotes, and the orchestrator keeps it in the saga's history.
   */
  static String shortened(String text, int longest) {
    if (text == null || text.length() <= longest) {
      return text;
    }
    return text.substring(0, longest) + "... (" + (text.length() - longest) + " more characters)";
  }

  private static void add(RecordHeaders headers, String name, String value) {
    if (value != null) {
      headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
  }
}
