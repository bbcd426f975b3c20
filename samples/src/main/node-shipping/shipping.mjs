#!/usr/bin/env node
// The shipping participant of the order-fulfilment saga, written the way a team outside Java would
// write one: kafkajs for Kafka, Confluent's own JavaScript serde (@confluentinc/schemaregistry) for
// Avro in the Confluent wire format, and Sagastream's header contract (workers/README.md).
//
//   node shipping.mjs --bootstrap HOST:PORT --registry URL [--prefix P] [--avro DIR]
//
// It registers the shipping team's contracts (the .avsc files in --avro) under their full names,
// serves ScheduleShipment on <prefix>shipping.schedule and CancelShipment on <prefix>shipping.cancel,
// and answers each command on its reply-to topic with the same key and the saga headers echoed.
// A ScheduleShipment is answered with a ShipmentScheduled record; a CancelShipment with no record.
// Commands are read read_committed; a reply is sent before its offset is committed, so a crash
// between the two sends the reply again, which the orchestrator recognises by its command-id.
//
// stdout carries one JSON line per event ("ready", "handled"), for the test that drives it.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import {
  AvroDeserializer,
  AvroSerializer,
  SchemaRegistryClient,
  SerdeType,
} from '@confluentinc/schemaregistry';

for (const name of ['log', 'info', 'debug', 'trace']) {
  console[name] = (...args) => console.error(...args);
}

const options = parseOptions(process.argv.slice(2));
const prefix = options.prefix ?? '';
const avroDir = options.avro ?? new URL('../avro/shipping', import.meta.url).pathname;
const topics = { schedule: `${prefix}shipping.schedule`, cancel: `${prefix}shipping.cancel` };

function parseOptions(argv) {
  const parsed = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) {
      fail(`usage: node shipping.mjs --bootstrap HOST:PORT --registry URL [--prefix P] [--avro DIR]`);
    }
    parsed[argv[i].slice(2)] = argv[i + 1];
  }
  for (const required of ['bootstrap', 'registry']) {
    if (!parsed[required]) fail(`--${required} is required`);
  }
  return parsed;
}

function fail(message) {
  process.stderr.write(`[shipping] ${message}\n`);
  process.exit(64);
}

function emit(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

function header(message, name) {
  const value = message.headers?.[name];
  return value == null ? null : value.toString('utf8');
}

// The same id for the same command, however often it is delivered: the command id is the key of
// the participant's own idempotency.
function derivedId(kind, commandId) {
  return `${kind}-` + createHash('sha256').update(commandId).digest('hex').slice(0, 12);
}

async function registerContracts(client) {
  const ids = {};
  for (const file of ['ScheduleShipment.avsc', 'CancelShipment.avsc', 'ShipmentScheduled.avsc']) {
    const schema = JSON.parse(readFileSync(join(avroDir, file), 'utf8'));
    const subject = `${schema.namespace}.${schema.name}`;
    ids[schema.name] = await client.register(subject, {
      schemaType: 'AVRO',
      schema: JSON.stringify(schema),
    });
  }
  return ids;
}

async function main() {
  const client = new SchemaRegistryClient({
    baseURLs: [options.registry],
    createAxiosDefaults: { timeout: 30000 },
  });
  const ids = await registerContracts(client);
  const commands = new AvroDeserializer(client, SerdeType.VALUE, {});
  // The replies topic carries every participant's reply records: each type has its own subject, the
  // record's full name, as the Java samples register theirs (a record-name strategy).
  const replySubject = 'io.sagastream.samples.shipping.ShipmentScheduled';
  const replies = new AvroSerializer(client, SerdeType.VALUE, {
    autoRegisterSchemas: false,
    useSchemaId: ids.ShipmentScheduled,
    subjectNameStrategy: async () => replySubject,
  });

  const kafka = new Kafka({
    clientId: 'shipping-node',
    brokers: options.bootstrap.split(','),
    logLevel: logLevel.WARN,
  });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const consumer = kafka.consumer({
    groupId: `${prefix}shipping-node`,
    readUncommitted: false,
  });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.schedule, topics.cancel], fromBeginning: true });

  const stop = async () => {
    await consumer.disconnect().catch(() => {});
    await producer.disconnect().catch(() => {});
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  consumer.on(consumer.events.GROUP_JOIN, () => emit({ event: 'ready' }));

  await consumer.run({
    autoCommit: true,
    eachMessage: async ({ topic, message }) => {
      const replyTo = header(message, 'reply-to');
      const commandId = header(message, 'command-id');
      if (!replyTo || !commandId) {
        process.stderr.write(`[shipping] a message on ${topic} without reply-to or command-id: skipped\n`);
        return;
      }
      const command = await commands.deserialize(topic, message.value);
      let value = null;
      if (topic === topics.schedule) {
        const shipmentId = derivedId('node-shp', commandId);
        value = await replies.serialize(replyTo, {
          shipmentId,
          trackingNumber: derivedId('NODE-TRK', commandId).toUpperCase(),
        });
      }
      const headers = {
        'saga-id': header(message, 'saga-id'),
        'command-id': commandId,
        outcome: 'success',
      };
      for (const echoed of ['saga-name', 'traceparent']) {
        const text = header(message, echoed);
        if (text != null) headers[echoed] = text;
      }
      await producer.send({
        topic: replyTo,
        acks: -1,
        messages: [{ key: message.key, value, headers }],
      });
      emit({ event: 'handled', topic, commandId, orderId: command.orderId, kind: header(message, 'saga-kind') });
    },
  });
}

main().catch((error) => {
  process.stderr.write(`[shipping] ${error?.stack ?? error}\n`);
  process.exit(1);
});
