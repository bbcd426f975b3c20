/**
 * The worker SDK for participant services: consume a command topic, hand the typed Avro command and
 * its saga headers to a handler, and write its reply to {@code reply-to} in the same Kafka
 * transaction. The SDK and the sample participants arrive with the participants issue; the header
 * contract they follow is {@link io.sagastream.contracts.SagaHeaders}.
 */
package io.sagastream.worker;
