/**
 * Sagastream's contracts with the teams that integrate with it: Kafka header names here, and the
 * Avro records of the requests, journal, definitions and dead-letter topics in {@code
 * io.sagastream.contracts.v1} (generated from the .avsc files, which the jar also carries under
 * {@code io/sagastream/contracts/v1/}).
 */
package io.sagastream.contracts;
