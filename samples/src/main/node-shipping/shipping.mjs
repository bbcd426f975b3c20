#!/usr/bin/env node
// The shipping participant of the order-fulfilment saga, written the way a team outside Java would
// write one: kafkajs for Kafka, Confluent's own JavaScript serde (@confluentinc/schemaregistry) for
// the registry and the Confluent wire format, avsc for Avro, and Sagastream's header contract
// (workers/README.md).
//
//   node shipping.mjs --bootstrap HOST:PORT --registry URL [--prefix P] [--avro DIR]
//
// It registers the shipping team's contracts (the .avsc files in --avro) under their full names,
// serves ScheduleShipment on <prefix>shipping.schedule and CancelShipment on <prefix>shipping.cancel,
// and answers each command on its reply-to topic with the same key and the saga headers echoed.
// A ScheduleShipment is answered with a ShipmentScheduled record; a CancelShipment with no record.
//
// Delivery is at-least-once, not exactly-once as with the Java worker SDK: commands are read
// read_committed, and a reply is sent before its offset is committed, so a crash between the two
// sends the reply again. The orchestrator ignores a reply whose command-id it is no longer waiting
// for, and the effects are kept per saga and step, so the second reply says what the first said.
// kafkajs 2.2.4 has transactions, but they are not exercised here against the Kafka 4 broker the
// tests run, and a transactional loop (send offsets, abort, seek back) is more than a sample should
// carry; reply-then-commit is the rule every Kafka client can follow (rule 3 of the contract).
//
// A command it cannot read is answered failure UNREADABLE_COMMAND, and one that fails in an
// unexpected way retryable-failure, so that neither blocks its partition. One that cannot be
// answered at all (no key, no usable reply-to, saga-id or command-id) is logged and skipped. A
// registry or Kafka that fails is not the command's fault: the command is read again, not answered.
// Kafka or the registry unreachable at start, or the consumer stopped for good: it tries again,
// 1 s doubling to 30 s.
//
// stdout carries one JSON line per event ("waiting", "ready", "handled", "unreadable", "skipped"),
// for the test that drives it.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import avro from 'avsc';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import {
  AVRO_TYPE,
  AvroDeserializer,
  AvroSerializer,
  RestError,
  SchemaId,
  SchemaRegistryClient,
  SerdeType,
} from '@confluentinc/schemaregistry';

for (const name of ['log', 'info', 'debug', 'trace']) {
  console[name] = (...args) => console.error(...args);
}

const options = parseOptions(process.argv.slice(2));
const prefix = options.prefix ?? '';
const avroDir = options.avro ?? fileURLToPath(new URL('../avro/shipping', import.meta.url));
const topics = { schedule: `${prefix}shipping.schedule`, cancel: `${prefix}shipping.cancel` };
const contracts = Object.fromEntries(
  ['ScheduleShipment', 'CancelShipment', 'ShipmentScheduled'].map((name) => [
    name,
    JSON.parse(readFileSync(join(avroDir, `${name}.avsc`), 'utf8')),
  ]),
);
// Commands are read as this participant's own schemas, whatever schema the orchestrator wrote them
// with: defaults fill fields the writer lacks, and a record of another type does not resolve.
const readers = {
  [topics.schedule]: avro.Type.forSchema(contracts.ScheduleShipment),
  [topics.cancel]: avro.Type.forSchema(contracts.CancelShipment),
};

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

function warn(message) {
  process.stderr.write(`[shipping] ${message}\n`);
}

// kafkajs gives a header sent twice as an array; Kafka's own clients read the last one.
function header(message, name) {
  let value = message.headers?.[name];
  if (Array.isArray(value)) value = value.at(-1);
  return value == null ? null : value.toString('utf8');
}

// Kafka's rule for topic names: a reply to a topic it cannot name would fail on every try.
function isTopicName(text) {
  return text != null && /^[a-zA-Z0-9._-]{1,249}$/.test(text) && text !== '.' && text !== '..';
}

// An exception's message can be as long as what it quotes, and the orchestrator keeps it in the
// saga's history: cut as the Java worker cuts it.
function shortened(text, longest) {
  if (text == null || text.length <= longest) return text;
  return `${text.slice(0, longest)}... (${text.length - longest} more characters)`;
}

// What this participant did, kept as the Java samples keep it (EffectsBySaga, CompensatedSteps):
// in memory, which is enough for a demo that forgets its sagas when it stops. A real team keeps
// both in its database, beside the shipments, so that every instance and every restart sees them.
const shipments = new Map(); // saga-id/saga-step -> shipment id, of the pick-ups booked now
const compensated = new Set(); // saga-id/saga-step of the steps undone

// Keyed by saga and step, not by command-id: a retry is a new attempt with a new command-id, and
// must find the shipment the attempt before it booked rather than book a second one.
function stepKey(sagaId, step) {
  return `${sagaId}/${step}`;
}

function derivedId(kind, seed) {
  return `${kind}-` + createHash('sha256').update(seed).digest('hex').slice(0, 12);
}

function schedule(command, sagaId, step) {
  const key = stepKey(sagaId, step);
  if (compensated.has(key)) {
    // The compensation overtook its action: booking now would leave a pick-up no saga undoes.
    return {
      outcome: 'failure',
      errorCode: 'ALREADY_COMPENSATED',
      errorMessage: `step ${step} of saga ${sagaId} was compensated already`,
    };
  }
  const shipmentId = shipments.get(key) ?? derivedId('node-shp', key);
  shipments.set(key, shipmentId);
  const trackingNumber = derivedId('NODE-TRK', shipmentId).toUpperCase();
  return { outcome: 'success', record: { shipmentId, trackingNumber } };
}

function cancel(command, sagaId, step) {
  // Noted even when nothing was booked, so that an action arriving after it books nothing.
  const key = stepKey(sagaId, step);
  compensated.add(key);
  shipments.delete(key);
  return { outcome: 'success' };
}

async function registerContracts(client) {
  const ids = {};
  for (const [name, schema] of Object.entries(contracts)) {
    ids[name] = await client.register(`${schema.namespace}.${name}`, {
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
let clients = []; // the consumer first: it finishes the command in hand, whose reply needs the producer
let stopping = false;
let wakeUp = () => {};

async function disconnectAll() {
  for (const client of clients.splice(0)) await client.disconnect().catch(() => {});
}

async function stop() {
  stopping = true;
  wakeUp();
  await disconnectAll();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

function pauseBefore(attempt) {
  return Math.min(FIRST_PAUSE_MS * 2 ** Math.min(attempt - 1, 15), MAX_PAUSE_MS);
}

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

// As the Java registry client sees it: a 404 whose error code names what is missing (40403, a
// schema id) is about the command. Any other answer (401, 403, 408, 429, a 404 from a wrong URL,
// 5xx) or none at all (a timeout, a refused connection) is about the registry: the command is read
// again once the registry is put right, rather than failed for something it did not do.
function isRegistryFault(error) {
  if (error instanceof RestError) {
    return !(error.status === 404 && Math.trunc(error.errorCode / 100) === 404);
  }
  return error?.isAxiosError === true;
}

// kafkajs does not export its error classes; all of their names start with KafkaJS.
function isKafkaFault(error) {
  return typeof error?.name === 'string' && error.name.startsWith('KafkaJS');
}

class UnreadableCommand extends Error {}

// Says which of the two could not be reached, and why.
async function within(what, action) {
  try {
    return await action();
  } catch (error) {
    throw new Error(`${what}: ${reason(error)}`);
  }
}

// Crashes since the last command answered: the pause after each grows as at start.
let crashes = 0;

async function main() {
  for (let attempt = 1; !stopping; attempt++) {
    try {
      await serve();
      return;
    } catch (error) {
      await disconnectAll();
      if (stopping) return;
      const waitMs = pauseBefore(attempt);
      warn(`cannot start yet (${reason(error)}); trying again in ${waitMs / 1000} s`);
      emit({ event: 'waiting', attempt, reason: reason(error) });
      await pause(waitMs);
    }
  }
}

async function serve() {
  // kafkajs heartbeats only between commands: a registry call that hangs must give up well within
  // its session timeout (30 s), or the group takes the partition away mid-command.
  const client = new SchemaRegistryClient({
    baseURLs: [options.registry],
    createAxiosDefaults: { timeout: 5000 },
    maxRetries: 2,
    retriesWaitMs: 500,
    retriesMaxWaitMs: 2000,
  });
  const ids = await within(`the registry at ${options.registry}`, () => registerContracts(client));
  // Used for the framing only (magic byte, schema id, the writer's schema from the registry).
  const frames = new AvroDeserializer(client, SerdeType.VALUE, {});
  // The replies topic carries every participant's reply records: each type has its own subject, the
  // record's full name, as the Java samples register theirs (a record-name strategy).
  const replySubject = 'io.sagastream.samples.shipping.ShipmentScheduled';
  const replies = new AvroSerializer(client, SerdeType.VALUE, {
    autoRegisterSchemas: false,
    useSchemaId: ids.ShipmentScheduled,
    subjectNameStrategy: async () => replySubject,
  });
  const resolvers = new Map();

  const read = async (topic, message) => {
    if (!message.value?.length) throw new UnreadableCommand('the command has no value');
    let writer, bytesRead;
    try {
      [writer, bytesRead] = await frames.getWriterSchema(
        topic,
        message.value,
        new SchemaId(AVRO_TYPE),
      );
    } catch (error) {
      if (isRegistryFault(error)) throw error;
      throw new UnreadableCommand(reason(error));
    }
    const reader = readers[topic];
    try {
      const key = `${topic} ${writer.schema}`;
      if (!resolvers.has(key)) {
        resolvers.set(key, reader.createResolver(avro.Type.forSchema(JSON.parse(writer.schema))));
      }
      return reader.fromBuffer(message.value.subarray(bytesRead), resolvers.get(key));
    } catch (error) {
      throw new UnreadableCommand(`the value cannot be read as ${reader.name}: ${error.message}`);
    }
  };

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
  clients = [consumer, producer];
  await within(`Kafka at ${options.bootstrap}`, async () => {
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [topics.schedule, topics.cancel], fromBeginning: true });
  });

  consumer.on(consumer.events.GROUP_JOIN, () => emit({ event: 'ready' }));
  // kafkajs restarts its consumer after most failures; after the others, start over, as at start,
  // after a pause: a failure that comes back at once must not become a reconnecting loop.
  consumer.on(consumer.events.CRASH, async ({ payload }) => {
    if (payload.restart || stopping) return;
    const waitMs = pauseBefore(++crashes);
    warn(`the consumer stopped (${reason(payload.error)}); starting over in ${waitMs / 1000} s`);
    await disconnectAll();
    await pause(waitMs);
    if (!stopping) main().catch(fatal);
  });

  const reply = async (message, replyTo, answer, value = null) => {
    const headers = {
      'saga-id': header(message, 'saga-id'),
      'command-id': header(message, 'command-id'),
      outcome: answer.outcome,
    };
    for (const echoed of ['saga-name', 'traceparent']) {
      const text = header(message, echoed);
      if (text != null) headers[echoed] = text;
    }
    if (answer.errorCode != null) headers['error-code'] = shortened(answer.errorCode, 200);
    if (answer.errorMessage != null) headers['error-message'] = shortened(answer.errorMessage, 2000);
    await producer.send({
      topic: replyTo,
      acks: -1,
      messages: [{ key: message.key, value, headers }],
    });
  };

  await consumer.run({
    autoCommit: true,
    eachMessage: async ({ topic, partition, message }) => {
      const replyTo = header(message, 'reply-to');
      const commandId = header(message, 'command-id');
      const sagaId = header(message, 'saga-id');
      if (message.key == null || !isTopicName(replyTo) || !commandId || !sagaId) {
        // Nowhere to answer: retrying would not change that, and would block the partition.
        warn(
          `skipped the record at ${topic}-${partition} offset ${message.offset}: it lacks a key,` +
            ' a reply-to that names a topic, a saga-id or a command-id, so it cannot be answered',
        );
        emit({ event: 'skipped', topic, offset: message.offset });
        return;
      }
      const kind = header(message, 'saga-kind');
      try {
        const step = header(message, 'saga-step');
        if (step == null) throw new UnreadableCommand('header saga-step is missing');
        const command = await read(topic, message);
        const handle = topic === topics.schedule ? schedule : cancel;
        const answer = handle(command, sagaId, step);
        const value = answer.record ? await replies.serialize(replyTo, answer.record) : null;
        await reply(message, replyTo, answer, value);
        emit({ event: 'handled', topic, commandId, orderId: command.orderId, kind, ...answer });
      } catch (error) {
        // Not the command's fault: thrown, so that kafkajs delivers the command again.
        if (isRegistryFault(error) || isKafkaFault(error)) throw error;
        if (error instanceof UnreadableCommand) {
          // Never block the partition on a command that cannot be read: the saga learns why at once.
          warn(`command ${commandId} on ${topic} is unreadable: ${error.message}`);
          await reply(message, replyTo, {
            outcome: 'failure',
            errorCode: 'UNREADABLE_COMMAND',
            errorMessage: error.message,
          });
          emit({ event: 'unreadable', topic, commandId });
        } else {
          // A fault of this code, like an exception from a Java handler: the orchestrator retries.
          warn(`command ${commandId} on ${topic} failed: ${error?.stack ?? error}`);
          await reply(message, replyTo, {
            outcome: 'retryable-failure',
            errorCode: error?.name ?? 'Error',
            errorMessage: error?.message ?? String(error),
          });
          emit({ event: 'handled', topic, commandId, kind, outcome: 'retryable-failure' });
        }
      }
      crashes = 0;
    },
  });
}

function fatal(error) {
  process.stderr.write(`[shipping] ${error?.stack ?? error}\n`);
  process.exit(1);
}

main().catch(fatal);
