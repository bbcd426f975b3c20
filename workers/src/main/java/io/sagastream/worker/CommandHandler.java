package io.sagastream.worker;

/**
 * A participant's work for one command topic. It runs on the worker's polling thread, inside the
 * Kafka transaction that will carry its reply, so keep it well within the producer's {@code
 * transaction.timeout.ms} for a whole poll batch.
 *
 * <p>Make it idempotent by {@link CommandContext#commandId()}: after a crash, a rebalance or an
 * aborted transaction the same command is delivered again with the same id, and only the reply of
 * the transaction that commits is ever seen by the orchestrator.
 *
 * @param <C> the command record: a generated Avro class, or {@link
 *     org.apache.avro.generic.GenericRecord}
 */
@FunctionalInterface
public interface CommandHandler<C> {

  /**
   * Does the work and says how it went.
   *
   * @throws CommandRejectedException to fail the step for good (outcome {@code failure}, with the
   *     exception's code)
   * @throws Exception anything else fails this attempt only (outcome {@code retryable-failure}, the
   *     exception's class as code): the orchestrator retries with backoff
   */
  Reply handle(C command, CommandContext context) throws Exception;
}
