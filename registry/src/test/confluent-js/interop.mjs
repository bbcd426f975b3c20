#!/usr/bin/env node
// Sagastream interop harness: drives Confluent's official JavaScript Avro serde
// (@confluentinc/schemaregistry) plus kafkajs, so a Java integration test can check
// that Sagastream's Confluent-wire-format serde and Confluent's agree byte for byte.
//
// Modes (arguments are `--name value` pairs):
//   consume  --bootstrap H:P --registry URL --topic T --count N [--timeout-ms 60000]
//   produce  --bootstrap H:P --registry URL --topic T --schema F.avsc --values F.json
//            [--use-latest true|false] [--timeout-ms 60000]
//   selftest --registry URL --schema F.avsc --values F.json [--topic T] [--use-latest ..]
//            serialize + deserialize locally, no Kafka (debugging aid)
//   decode   --registry URL --topic T --input F.json   (F.json: [{"key":..,"valueHex":".."}])
//            deserialize given wire bytes locally, no Kafka (debugging aid)
//
// stdout carries only JSON lines (one per record); everything else goes to stderr.
// Exit codes: 0 ok, 1 failure, 2 timeout, 64 bad usage.

import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import {
  AvroDeserializer,
  AvroSerializer,
  SchemaRegistryClient,
  SerdeType,
  SubjectNameStrategyType,
} from '@confluentinc/schemaregistry';

// The very avsc copy the Confluent serde uses (a dependency of @confluentinc/schemaregistry).
const require = createRequire(import.meta.url);
const avro = createRequire(require.resolve('@confluentinc/schemaregistry'))('avsc');

// Keep stdout machine-readable: anything a library prints through console goes to stderr.
for (const name of ['log', 'info', 'debug', 'trace']) {
  console[name] = (...args) => console.error(...args);
}

const EXIT_OK = 0;
const EXIT_FAIL = 1;
const EXIT_TIMEOUT = 2;
const EXIT_USAGE = 64;

class UsageError extends Error {}
class TimeoutError extends Error {}

const USAGE = `usage:
  node interop.mjs consume  --bootstrap HOST:PORT --registry URL --topic T --count N [--timeout-ms 60000]
  node interop.mjs produce  --bootstrap HOST:PORT --registry URL --topic T --schema FILE.avsc --values FILE.json [--use-latest true|false] [--timeout-ms 60000]
  node interop.mjs selftest --registry URL --schema FILE.avsc --values FILE.json [--topic T] [--use-latest true|false] [--timeout-ms 60000]
  node interop.mjs decode   --registry URL --topic T --input FILE.json [--timeout-ms 60000]`;

const MODES = {
  consume: { required: ['bootstrap', 'registry', 'topic', 'count'], optional: ['timeout-ms'] },
  produce: {
    required: ['bootstrap', 'registry', 'topic', 'values'],
    optional: ['schema', 'use-latest', 'timeout-ms'],
  },
  selftest: { required: ['registry', 'values'], optional: ['schema', 'topic', 'use-latest', 'timeout-ms'] },
  decode: { required: ['registry', 'topic', 'input'], optional: ['timeout-ms'] },
};

function parseArgs(argv) {
  const [mode, ...rest] = argv;
  if (!mode || !(mode in MODES)) {
    throw new UsageError(`unknown or missing mode ${JSON.stringify(mode ?? '')}`);
  }
  const spec = MODES[mode];
  const allowed = new Set([...spec.required, ...spec.optional]);
  const opts = {};
  for (let i = 0; i < rest.length; i += 2) {
    const flag = rest[i];
    if (!flag.startsWith('--')) throw new UsageError(`expected --name, got ${JSON.stringify(flag)}`);
    const name = flag.slice(2);
    if (!allowed.has(name)) throw new UsageError(`option --${name} is not valid for mode ${mode}`);
    if (i + 1 >= rest.length) throw new UsageError(`option --${name} needs a value`);
    if (name in opts) throw new UsageError(`option --${name} given twice`);
    opts[name] = rest[i + 1];
  }
  for (const name of spec.required) {
    if (!(name in opts)) throw new UsageError(`mode ${mode} needs --${name}`);
  }
  const useLatest = opts['use-latest'] ?? 'false';
  if (useLatest !== 'true' && useLatest !== 'false') {
    throw new UsageError(`--use-latest must be true or false, got ${JSON.stringify(useLatest)}`);
  }
  opts.useLatest = useLatest === 'true';
  opts.timeoutMs = parsePositiveInt(opts['timeout-ms'] ?? '60000', 'timeout-ms');
  if (mode === 'consume') opts.countN = parsePositiveInt(opts.count, 'count');
  if ((mode === 'produce' || mode === 'selftest') && !opts.useLatest && !opts.schema) {
    throw new UsageError(`mode ${mode} needs --schema unless --use-latest true`);
  }
  opts.topic = opts.topic ?? 'interop-selftest';
  return { mode, opts };
}

function parsePositiveInt(text, name) {
  if (!/^\d+$/.test(String(text)) || Number(text) <= 0 || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--${name} must be a positive integer, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

function log(msg) {
  process.stderr.write(`[interop] ${msg}\n`);
}

function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

async function flushAndExit(code) {
  await new Promise((resolve) => process.stdout.write('', resolve));
  await new Promise((resolve) => process.stderr.write('', resolve));
  process.exit(code);
}

function readJsonFile(path, what) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${what} file ${path}: ${e.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${what} file ${path} is not valid JSON: ${e.message}`);
  }
}

function readValues(path) {
  const values = readJsonFile(path, 'values');
  if (!Array.isArray(values)) throw new UsageError(`values file ${path} must hold a JSON array`);
  values.forEach((entry, i) => {
    if (entry === null || typeof entry !== 'object' || !('value' in entry)) {
      throw new UsageError(`values[${i}] must be an object {"key": "...", "value": {...}}`);
    }
    if (entry.key != null && typeof entry.key !== 'string') {
      throw new UsageError(`values[${i}].key must be a string or null`);
    }
  });
  return values;
}

// ---------------------------------------------------------------- wire / JSON helpers

function wireHeader(buf) {
  if (buf == null || buf.length === 0) return { magic: null, schemaId: null };
  return {
    magic: buf.readUInt8(0),
    schemaId: buf.length >= 5 ? buf.readInt32BE(1) : null,
  };
}

// Decoded avsc values -> JSON-safe values. avsc (as configured by the Confluent serde)
// gives longs as JS numbers, bytes/fixed as Buffers (printed as base64), enums as strings,
// records as objects, wrapped unions as {"branch": value}.
function jsonSafe(v) {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v); // NaN, Infinity, -Infinity
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, jsonSafe(x)]));
  if (typeof v === 'object') {
    const out = {};
    for (const k of Object.keys(v)) out[k] = jsonSafe(v[k]);
    return out;
  }
  return v;
}

// JSON input -> the value shapes avsc expects for `type`: base64 strings become Buffers for
// bytes/fixed, decimal-string longs become numbers, everything else is kept as given
// (unions in avsc's own form: bare value for unwrapped unions such as ["null","string"],
// {"branchName": value} for wrapped ones).
function fromJson(type, v) {
  if (v === null || v === undefined) return v;
  switch (type.typeName) {
    case 'bytes':
    case 'fixed':
      return typeof v === 'string' ? Buffer.from(v, 'base64') : v;
    case 'long': {
      let n = v;
      if (typeof v === 'string' && /^-?\d+$/.test(v)) {
        n = Number(v);
        if (!Number.isSafeInteger(n)) throw new UsageError(`long ${v} is outside JS safe-integer range`);
      }
      // avsc 5.7.x: longs must lie in +-(2^53 - 2); below -2^52 its float path silently
      // drops the sign (encode and decode). Not changed here, only reported.
      if (typeof n === 'number' && n < -4503599627370496) {
        log(`warning: long ${n} < -2^52: avsc encodes/decodes it wrongly (sign lost)`);
      }
      return n;
    }
    case 'record':
    case 'error': {
      if (typeof v !== 'object' || Array.isArray(v)) return v;
      const out = {};
      for (const f of type.fields) {
        if (f.name in v) out[f.name] = fromJson(f.type, v[f.name]);
      }
      return out;
    }
    case 'array':
      return Array.isArray(v) ? v.map((x) => fromJson(type.itemsType, x)) : v;
    case 'map': {
      if (typeof v !== 'object' || Array.isArray(v)) return v;
      const out = {};
      for (const k of Object.keys(v)) out[k] = fromJson(type.valuesType, v[k]);
      return out;
    }
    case 'union:unwrapped': {
      const branches = type.types.filter((b) => b.typeName !== 'null');
      for (const b of branches) if (b.isValid(v)) return v;
      for (const b of branches) {
        const c = fromJson(b, v);
        if (b.isValid(c)) return c;
      }
      return v;
    }
    case 'union:wrapped': {
      if (typeof v !== 'object' || Array.isArray(v)) return v;
      const keys = Object.keys(v);
      if (keys.length !== 1) return v;
      const b = type.types.find((t) => t.branchName === keys[0]);
      return b ? { [keys[0]]: fromJson(b, v[keys[0]]) } : v;
    }
    default:
      return v;
  }
}

// ---------------------------------------------------------------- serde setup

function makeRegistryClient(url) {
  return new SchemaRegistryClient({
    baseURLs: [url],
    createAxiosDefaults: { timeout: 30000 },
  });
}

// Confluent's AvroSerializer (1.10.x), when neither useLatestVersion nor useSchemaId is set,
// does not take a schema from the caller: it *infers* one from the JS value
// (AvroSerializer.messageToSchema -> avsc Type.forValue, records named "Record1", ...)
// and registers/looks that up. To serialize with the schema from --schema while keeping
// the rest of the official path (autoRegisterSchemas -> POST /subjects/{T}-value/versions,
// magic byte + 4-byte id prefix, avsc binary encoding, validation), this subclass only
// substitutes the SchemaInfo handed to Serializer.getSchemaId.
class FileSchemaAvroSerializer extends AvroSerializer {
  constructor(client, serdeType, conf, schemaInfo) {
    super(client, serdeType, conf);
    this.fileSchemaInfo = schemaInfo;
  }

  async getSchemaId(schemaType, topic, msg, info, format) {
    return super.getSchemaId(schemaType, topic, msg, this.fileSchemaInfo, format);
  }
}

function loadSchemaFile(path) {
  const parsed = readJsonFile(path, 'schema');
  // Registered as compact JSON (like Java's Schema.toString()), attribute order preserved.
  return { schemaType: 'AVRO', schema: JSON.stringify(parsed) };
}

// Returns { serializer, type } where type is the avsc Type used to shape JSON input values.
async function makeSerializer(client, opts) {
  const subject = `${opts.topic}-value`;
  if (opts.useLatest) {
    if (opts.schema) log(`--use-latest true: ignoring --schema ${opts.schema}, using latest of ${subject}`);
    const serializer = new AvroSerializer(client, SerdeType.VALUE, {
      autoRegisterSchemas: false,
      useLatestVersion: true,
      subjectNameStrategyType: SubjectNameStrategyType.TOPIC,
    });
    // Same client call (and client cache) the serializer itself uses for useLatestVersion.
    const latest = await client.getLatestSchemaMetadata(subject);
    log(`latest ${subject}: version ${latest.version}, id ${latest.id}`);
    return { serializer, type: avro.Type.forSchema(JSON.parse(latest.schema)) };
  }
  const info = loadSchemaFile(opts.schema);
  const serializer = new FileSchemaAvroSerializer(
    client,
    SerdeType.VALUE,
    {
      autoRegisterSchemas: true,
      useLatestVersion: false,
      subjectNameStrategyType: SubjectNameStrategyType.TOPIC,
    },
    info,
  );
  return { serializer, type: avro.Type.forSchema(JSON.parse(info.schema)) };
}

function makeDeserializer(client) {
  return new AvroDeserializer(client, SerdeType.VALUE, {
    useLatestVersion: false,
    subjectNameStrategyType: SubjectNameStrategyType.TOPIC,
  });
}

async function decodeRecord(deserializer, topic, keyBuf, valueBuf) {
  const { magic, schemaId } = wireHeader(valueBuf);
  let value = null;
  if (valueBuf != null && valueBuf.length > 0) {
    value = jsonSafe(await deserializer.deserialize(topic, valueBuf));
  }
  return {
    key: keyBuf == null ? null : keyBuf.toString('utf8'),
    magic,
    schemaId,
    valueHex: valueBuf == null ? null : valueBuf.toString('hex'),
    value,
  };
}

// ---------------------------------------------------------------- Kafka setup

function makeKafka(bootstrap) {
  const levelName = (l) => ({ [logLevel.ERROR]: 'ERROR', [logLevel.WARN]: 'WARN', [logLevel.INFO]: 'INFO', [logLevel.DEBUG]: 'DEBUG' })[l] ?? String(l);
  return new Kafka({
    clientId: 'sagastream-confluent-js-interop',
    brokers: bootstrap.split(',').map((s) => s.trim()).filter(Boolean),
    connectionTimeout: 10000,
    logLevel: logLevel.WARN,
    logCreator: () => ({ namespace, level, log: entry }) => {
      const { message, ...extra } = entry;
      process.stderr.write(`[kafkajs ${levelName(level)}] ${namespace}: ${message} ${JSON.stringify(extra)}\n`);
    },
  });
}

// ---------------------------------------------------------------- modes

async function consume(opts, state) {
  const client = makeRegistryClient(opts.registry);
  const deserializer = makeDeserializer(client);
  const kafka = makeKafka(opts.bootstrap);
  const groupId = `sagastream-interop-${opts.topic}-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId });
  state.cleanup = async () => consumer.disconnect();
  state.progress = () => `read ${state.read} of ${opts.countN} records from ${opts.topic}`;
  state.read = 0;

  let settle;
  const done = new Promise((resolve, reject) => {
    settle = { resolve, reject };
  });
  done.catch(() => {}); // rejections are handled where `done` is awaited
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) settle.reject(new Error(`kafkajs consumer crashed: ${payload.error?.message ?? payload.error}`));
  });

  log(`consuming ${opts.countN} records from ${opts.topic} (group ${groupId})`);
  await consumer.connect();
  await consumer.subscribe({ topics: [opts.topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      if (state.read >= opts.countN) return;
      try {
        const rec = await decodeRecord(deserializer, opts.topic, message.key, message.value);
        if (state.read >= opts.countN) return;
        state.read += 1;
        emit({ partition, offset: message.offset, ...rec });
        if (state.read >= opts.countN) settle.resolve();
      } catch (e) {
        settle.reject(new Error(`partition ${partition} offset ${message.offset}: ${e.stack ?? e}`));
      }
    },
  });
  await done;
  log(`read ${state.read} records`);
}

async function produce(opts, state) {
  const values = readValues(opts.values);
  const client = makeRegistryClient(opts.registry);
  const { serializer, type } = await makeSerializer(client, opts);
  const kafka = makeKafka(opts.bootstrap);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  state.cleanup = async () => producer.disconnect();
  state.progress = () => `produced ${state.sent ?? 0} of ${values.length} records to ${opts.topic}`;
  state.sent = 0;
  await producer.connect();
  for (const [i, entry] of values.entries()) {
    const valueBuf = await serializeEntry(serializer, type, opts.topic, entry, i);
    await producer.send({
      topic: opts.topic,
      acks: -1,
      messages: [{ key: entry.key == null ? null : Buffer.from(entry.key, 'utf8'), value: valueBuf }],
    });
    state.sent += 1;
    emit({ key: entry.key ?? null, ...wireHeader(valueBuf), valueHex: valueBuf.toString('hex') });
  }
  log(`produced ${state.sent} records`);
}

async function serializeEntry(serializer, type, topic, entry, i) {
  try {
    return await serializer.serialize(topic, fromJson(type, entry.value));
  } catch (e) {
    throw new Error(`values[${i}] (key ${JSON.stringify(entry.key)}): serialize failed: ${e.stack ?? e}`);
  }
}

async function selftest(opts) {
  const values = readValues(opts.values);
  const client = makeRegistryClient(opts.registry);
  const { serializer, type } = await makeSerializer(client, opts);
  const deserializer = makeDeserializer(client);
  for (const [i, entry] of values.entries()) {
    const valueBuf = await serializeEntry(serializer, type, opts.topic, entry, i);
    const keyBuf = entry.key == null ? null : Buffer.from(entry.key, 'utf8');
    emit(await decodeRecord(deserializer, opts.topic, keyBuf, valueBuf));
  }
}

async function decode(opts) {
  const input = readJsonFile(opts.input, 'input');
  if (!Array.isArray(input)) throw new UsageError(`input file ${opts.input} must hold a JSON array`);
  const client = makeRegistryClient(opts.registry);
  const deserializer = makeDeserializer(client);
  for (const [i, entry] of input.entries()) {
    if (entry === null || typeof entry !== 'object' || typeof entry.valueHex !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(entry.valueHex)) {
      throw new UsageError(`input[${i}] must be {"key": "...", "valueHex": "<hex>"}`);
    }
    const keyBuf = entry.key == null ? null : Buffer.from(String(entry.key), 'utf8');
    emit(await decodeRecord(deserializer, opts.topic, keyBuf, Buffer.from(entry.valueHex, 'hex')));
  }
}

// ---------------------------------------------------------------- main

async function main() {
  let parsed;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (e) {
    log(`error: ${e.message}\n${USAGE}`);
    return flushAndExit(EXIT_USAGE);
  }
  const { mode, opts } = parsed;
  const state = { cleanup: null, progress: null };
  const run = { consume, produce, selftest, decode }[mode];

  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs);
  });

  let code = EXIT_OK;
  try {
    await Promise.race([run(opts, state), timeout]);
  } catch (e) {
    if (e instanceof TimeoutError) {
      code = EXIT_TIMEOUT;
      log(`error: ${mode} ${e.message}${state.progress ? `: ${state.progress()}` : ''}`);
    } else if (e instanceof UsageError) {
      code = EXIT_USAGE;
      log(`error: ${e.message}`);
    } else {
      code = EXIT_FAIL;
      log(`error: ${mode} failed${state.progress ? ` (${state.progress()})` : ''}: ${e.stack ?? e}`);
    }
  } finally {
    clearTimeout(timer);
  }
  if (state.cleanup) {
    try {
      await Promise.race([
        state.cleanup(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('disconnect took over 10 s')), 10000)),
      ]);
    } catch (e) {
      log(`warning: disconnect: ${e.message}`);
    }
  }
  return flushAndExit(code);
}

process.on('unhandledRejection', (e) => {
  log(`error: unhandled rejection: ${e?.stack ?? e}`);
  flushAndExit(EXIT_FAIL);
});

main();
