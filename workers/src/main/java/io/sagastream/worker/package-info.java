/**
 * The worker SDK for participant services: consume a command topic, hand the typed Avro command and
 * its saga headers to a {@link io.sagastream.worker.CommandHandler}, and write its {@link
 * io.sagastream.worker.Reply} to {@code reply-to} in the same Kafka transaction that commits the
 * command's offset. Start at {@link io.sagastream.worker.SagaWorker#builder()}; the header contract
 * it follows is {@link io.sagastream.contracts.SagaHeaders}, described in full in the module's
 * README for teams that write participants without this SDK.
 */
package io.sagastream.worker;
