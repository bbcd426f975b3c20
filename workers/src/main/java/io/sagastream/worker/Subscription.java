package io.sagastream.worker;

import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/** One command topic: how its values are read, and the handler they go to. */
final class Subscription<C> {

  private final Deserializer<C> reader;
  private final CommandHandler<? super C> handler;

  Subscription(Deserializer<C> reader, CommandHandler<? super C> handler) {
    this.reader = reader;
    this.handler = handler;
  }

  /**
   * Reads the command now, so that unreadable input is told apart from a failing handler; the
   * returned call runs the handler.
   *
   * @throws MalformedCommandException if the command has no value
   * @throws io.sagastream.registry.serde.UnreadableRecordException if the value cannot be read
   */
  Callable<Reply> read(ConsumerRecord<byte[], byte[]> record, CommandContext context) {
    if (record.value() == null) {
      throw new MalformedCommandException("the command has no value");
    }
    C command = reader.deserialize(record.topic(), record.value());
    return () -> handler.handle(command, context);
  }
}
