/**
 * The saga engine: definitions, instances, commands, effects and the transition table. Pure Java:
 * no Kafka, Micronaut or Avro types, no clock, randomness or I/O ({@code EnginePurityTest} enforces
 * it), so that every decision is deterministic and can be replayed and tested without a broker.
 */
package io.sagastream.engine;
