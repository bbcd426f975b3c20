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
// A command whose value cannot be read is answered failure UNREADABLE_COMMAND, so it never blocks its
// partition. Kafka or the registry unreachable at start: it tries again, 1 s doubling to 30 s.
//
// stdout carries one JSON line per event ("waiting", "ready", "handled", "unreadable", "skipped"),
// for the test that drives it.

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

// Kafka and the registry may come up after this process (a Deployment beside a Kafka that is still
// starting): it waits for them instead of exiting, so that it is not restarted over and over.
const FIRST_PAUSE_MS = 1000;
const MAX_PAUSE_MS = 30000;
const clients = [];
let stopping = false;
let wakeUp = () => {};

async function stop() {
  stopping = true;
  wakeUp();
  await Promise.all(clients.map((c) => c.disconnect().catch(() => {})));
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

function pause(ms) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    wakeUp = () => {
      clearTimeout(timer);
      resolve();
    };
  });
}

// The innermost cause says what is wrong: kafkajs wraps "connection refused" in its retries.
function reason(error) {
  let cause = error;
  while (cause?.cause ?? cause?.originalError) cause = cause.cause ?? cause.originalError;
  return `${cause?.name ?? 'Error'}: ${cause?.message ?? cause}`;
}

// The registry unreachable or failing says nothing of the command: kafkajs delivers it again.
function isTransient(error) {
  if (error?.isAxiosError && !error.response) return true;
  return typeof error?.status === 'number' && (error.status >= 500 || error.status === 429);
}

// Says which of the two could not be reached, and why.
async function within(what, action) {
  try {
    return await action();
  } catch (error) {
    throw new Error(`${what}: ${reason(error)}`);
  }
}

async function disconnectAll() {
  await Promise.all(clients.splice(0).map((c) => c.disconnect().catch(() => {})));
}

async function main() {
  for (let attempt = 1; !stopping; attempt++) {
    try {
      await serve();
      return;
    } catch (error) {
      await disconnectAll();
      if (stopping) return;
      const waitMs = Math.min(FIRST_PAUSE_MS * 2 ** Math.min(attempt - 1, 15), MAX_PAUSE_MS);
      process.stderr.write(
        `[shipping] cannot start yet (${reason(error)}); trying again in ${waitMs / 1000} s\n`,
      );
      emit({ event: 'waiting', attempt, reason: reason(error) });
      await pause(waitMs);
    }
  }
}

async function serve() {
  const client = new SchemaRegistryClient({
    baseURLs: [options.registry],
    createAxiosDefaults: { timeout: 30000 },
  });
  const ids = await within(`the registry at ${options.registry}`, () => registerContracts(client));
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
  clients.push(consumer, producer);
  await within(`Kafka at ${options.bootstrap}`, async () => {
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [topics.schedule, topics.cancel], fromBeginning: true });
  });

  consumer.on(consumer.events.GROUP_JOIN, () => emit({ event: 'ready' }));
  // kafkajs restarts its consumer after most failures; after the others, start over, as at start.
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart || stopping) return;
    process.stderr.write(`[shipping] the consumer stopped (${reason(payload.error)}); starting over\n`);
    disconnectAll().then(main).catch(fatal);
  });

  const reply = async (message, replyTo, value, outcome) => {
    const headers = {
      'saga-id': header(message, 'saga-id'),
      'command-id': header(message, 'command-id'),
      ...outcome,
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
  };

  await consumer.run({
    autoCommit: true,
    eachMessage: async ({ topic, message }) => {
      const replyTo = header(message, 'reply-to');
      const commandId = header(message, 'command-id');
      if (!replyTo || !commandId || !header(message, 'saga-id')) {
        process.stderr.write(
          `[shipping] a message on ${topic} without reply-to, saga-id or command-id: skipped\n`,
        );
        emit({ event: 'skipped', topic });
        return;
      }
      let command;
      try {
        if (message.value == null) throw new Error('the command has no value');
        command = await commands.deserialize(topic, message.value);
      } catch (error) {
        if (isTransient(error)) throw error;
        // Never block the partition on a command that cannot be read: the saga learns why at once.
        await reply(message, replyTo, null, {
          outcome: 'failure',
          'error-code': 'UNREADABLE_COMMAND',
          'error-message': reason(error).slice(0, 1000),
        });
        emit({ event: 'unreadable', topic, commandId });
        return;
      }
      let value = null;
      if (topic === topics.schedule) {
        const shipmentId = derivedId('node-shp', commandId);
        value = await replies.serialize(replyTo, {
          shipmentId,
          trackingNumber: derivedId('NODE-TRK', commandId).toUpperCase(),
        });
      }
      await reply(message, replyTo, value, { outcome: 'success' });
      emit({ event: 'handled', topic, commandId, orderId: command.orderId, kind: header(message, 'saga-kind') });
    },
  });
}

function fatal(error) {
  process.stderr.write(`[shipping] ${error?.stack ?? error}\n`);
  process.exit(1);
}

main().catch(fatal);
