package io.sagastream.topology;

import io.sagastream.codec.InstanceCodec;
import io.sagastream.codec.JournalCodec;
import io.sagastream.codec.SagaDataCodec;
import io.sagastream.contracts.MessageHeaders;
import io.sagastream.contracts.SagaHeaders;
import io.sagastream.contracts.v1.CancelSaga;
import io.sagastream.contracts.v1.DeadLetterReason;
import io.sagastream.contracts.v1.DeployedDefinition;
import io.sagastream.contracts.v1.ResolveIncident;
import io.sagastream.contracts.v1.SagaEvent;
import io.sagastream.contracts.v1.SagaRequest;
import io.sagastream.contracts.v1.StartSaga;
import io.sagastream.engine.CommandKind;
import io.sagastream.engine.Decision;
import io.sagastream.engine.Effect;
import io.sagastream.engine.EngineCommand;
import io.sagastream.engine.IncidentResolution;
import io.sagastream.engine.ReplyOutcome;
import io.sagastream.engine.SagaData;
import io.sagastream.engine.SagaEngine;
import io.sagastream.engine.SagaInstance;
import io.sagastream.engine.StepDefinition;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.serde.AvroDeserializer;
import io.sagastream.registry.serde.AvroSerializer;
import io.sagastream.registry.serde.SerializerOptions;
import io.sagastream.registry.serde.UnreadableRecordException;
import io.sagastream.topology.TimerKeys.ScheduledTimer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads requests and replies, loads the instance, asks the engine, stores the new instance and
 * timers, and forwards the commands, journal events and dead letters. Nothing else: every decision
 * is the engine's.
 */
final class SagaProcessor implements Processor<byte[], byte[], byte[], Object> {

  private static final Logger LOG = LoggerFactory.getLogger(SagaProcessor.class);

  static final String REROUTED_FROM = "sagastream-rerouted-from";
  static final String REROUTED_FROM_PARTITION = "sagastream-rerouted-from-partition";

  private final SagaTopics topics;
  private final SchemaRegistry registry;
  private final TopologySettings settings;
  private final SagaMetrics metrics;
  private final SagaTracing tracing;

  private ProcessorContext<byte[], Object> context;
  private KeyValueStore<String, byte[]> instances;
  private TimerSchedule timers;
  private Inbox inbox;
  private RecoveryScan recovery;
  private int redrivenThisPass;

  // Counted a slice at a time from the task's start and after each pass; each pass's census gives
  // the last whole counts.
  private SlicedCount<Bytes> pendingTimers;
  private SlicedCount<String> keptMessages;
  private AvroDeserializer<GenericRecord> messages;
  private DefinitionCatalog catalog;
  private AvroDeserializer<SagaRequest> requests;
  private AvroDeserializer<GenericRecord> replies;
  private AvroSerializer<SagaEvent> events;
  private final Map<String, AvroDeserializer<GenericRecord>> dataReaders = new HashMap<>();

  SagaProcessor(
      SagaTopics topics,
      SchemaRegistry registry,
      TopologySettings settings,
      SagaMetrics metrics,
      SagaTracing tracing) {
    this.topics = topics;
    this.registry = registry;
    this.settings = settings;
    this.metrics = metrics;
    this.tracing = tracing;
  }

  /** Bytes an instance may take, so that every record written for it fits a produce request. */
  private int largestInstanceBytes;

  @Override
  public void init(ProcessorContext<byte[], Object> context) {
    this.context = context;
    this.largestInstanceBytes = RecordSizes.largestInstanceBytes(context.appConfigs());
    this.instances = context.getStateStore(TopologyNames.INSTANCE_STORE);
    this.timers =
        new TimerSchedule(
            context.getStateStore(TopologyNames.TIMER_STORE), settings.timerInterval());
    this.inbox =
        new Inbox(
            context.getStateStore(TopologyNames.INBOX_STORE),
            timers,
            settings.instanceFormat() == InstanceCodec.Format.JSON);
    this.pendingTimers = timers.pendingCount();
    this.keptMessages = inbox.keptCount();
    this.messages = AvroDeserializer.generic(registry);
    KeyValueStore<String, byte[]> definitions =
        context.getStateStore(TopologyNames.DEFINITION_STORE);
    this.catalog =
        new DefinitionCatalog(
            definitions,
            AvroDeserializer.specific(registry, DeployedDefinition.class),
            topics.definitions());
    this.requests = AvroDeserializer.specific(registry, SagaRequest.class);
    this.replies = AvroDeserializer.generic(registry);
    this.events = new AvroSerializer<>(registry, SerializerOptions.defaults());
    context.schedule(
        settings.timerInterval(), PunctuationType.WALL_CLOCK_TIME, this::fireDueTimers);
    this.recovery = new RecoveryScan(instances, settings, context.currentSystemTimeMs());
    // Each run reads one slice of the instances; a pass starts every recovery interval.
    context.schedule(settings.timerInterval(), PunctuationType.WALL_CLOCK_TIME, this::recover);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
    try {
      if (topic.equals(topics.requests())) {
        handleRequest(record, topic, false);
      } else if (topic.equals(topics.replies())) {
        handleReply(record, topic, false);
      } else if (topic.equals(topics.messages())) {
        handleMessage(record, topic, false);
      } else if (topic.equals(topics.rerouted())) {
        String original = header(record.headers(), REROUTED_FROM);
        if (topics.requests().equals(original)) {
          handleRequest(record, original, true);
        } else if (topics.replies().equals(original)) {
          handleReply(record, original, true);
        } else if (topics.messages().equals(original)) {
          handleMessage(record, original, true);
        } else {
          throw new PoisonInputException(
              DeadLetterReason.MALFORMED_HEADER, "a rerouted record from '" + original + "'");
        }
      } else {
        throw new PoisonInputException(DeadLetterReason.OTHER, "no handler for topic " + topic);
      }
    } catch (UnreadableRecordException e) {
      deadLetter(record, DeadLetterReason.UNREADABLE_VALUE, e.getMessage(), e);
    } catch (PoisonInputException e) {
      deadLetter(record, e.reason(), e.getMessage(), e);
    }
  }

  private void handleRequest(Record<byte[], byte[]> record, String topic, boolean rerouted) {
    String key = sagaKey(record);
    if (record.value() == null) {
      throw new PoisonInputException(
          DeadLetterReason.UNREADABLE_VALUE, "a request without a value");
    }
    SagaRequest request = requests.deserialize(topic, record.value());
    if (!key.equals(request.getSagaKey())) {
      throw new PoisonInputException(
          DeadLetterReason.OTHER,
          "the record key '"
              + key
              + "' is not the request's saga key '"
              + request.getSagaKey()
              + "'");
    }
    Object body = request.getRequest();
    // A request written by a client with another partitioner (librdkafka's, say) goes to the
    // partition the key's replies, messages and API calls go to, unless the instance it is about
    // was started here before such requests were forwarded.
    if (!rerouted
        && hashesElsewhere(record.key())
        && instances.get(InstanceKeys.key(key, definitionNameOf(body))) == null) {
      reroute(record, topic);
      return;
    }
    if (body instanceof StartSaga start) {
      start(key, request, start, topic, header(record.headers(), SagaHeaders.TRACEPARENT));
    } else if (body instanceof CancelSaga cancel) {
      SagaInstance current = requireInstance(key, cancel.getDefinitionName());
      decideAndApply(
          current, new EngineCommand.CancelSaga(request.getRequestedBy(), cancel.getReason()));
    } else if (body instanceof ResolveIncident resolve) {
      SagaInstance current = requireInstance(key, resolve.getDefinitionName());
      decideAndApply(
          current,
          new EngineCommand.ResolveIncident(
              IncidentResolution.valueOf(resolve.getResolution().name()),
              request.getRequestedBy(),
              resolve.getComment(),
              resolve.getIncidentRaisedAt()));
    }
  }

  private static String definitionNameOf(Object request) {
    if (request instanceof StartSaga start) {
      return start.getDefinitionName();
    } else if (request instanceof CancelSaga cancel) {
      return cancel.getDefinitionName();
    } else if (request instanceof ResolveIncident resolve) {
      return resolve.getDefinitionName();
    }
    throw new PoisonInputException(DeadLetterReason.OTHER, "a request of no known kind");
  }

  private void start(
      String key, SagaRequest request, StartSaga start, String topic, String traceparent) {
    if (key.length() > InstanceKeys.LONGEST_PART) {
      throw new PoisonInputException(
          DeadLetterReason.UNREADABLE_KEY,
          "the saga key is longer than " + InstanceKeys.LONGEST_PART + " characters");
    }
    String name = start.getDefinitionName();
    // The version the API checked the data against; the latest this node knows when the request
    // names none, or names one its definitions store has not caught up with (a deploy a moment
    // ago), whose data is then read with that version's schema.
    DeployedSaga wanted =
        Optional.ofNullable(start.getDefinitionVersion())
            .flatMap(version -> catalog.version(name, version))
            .or(() -> catalog.latest(name))
            .orElseThrow(
                () ->
                    new PoisonInputException(
                        DeadLetterReason.UNKNOWN_DEFINITION, "no deployed definition " + name));
    SagaInstance current = load(key, name);
    String sagaId = name + ":" + key + ":" + request.getRequestId();
    if (current != null && !current.status().isTerminal() && !current.sagaId().equals(sagaId)) {
      // One open saga of a definition per key: a second start is kept, not silently dropped.
      throw new PoisonInputException(
          DeadLetterReason.SAGA_ALREADY_OPEN,
          "saga "
              + current.sagaId()
              + " is still open on key '"
              + key
              + "' ("
              + current.status()
              + "), so this start (request "
              + request.getRequestId()
              + ") was not carried out; unless it ran before that saga started, send it again"
              + " once that saga has ended");
    }
    DeployedSaga saga =
        current == null || current.status().isTerminal() ? wanted : definitionOf(current);
    GenericRecord data =
        dataReaders
            .computeIfAbsent(
                DefinitionKeys.key(name, wanted.definition().version()),
                k -> AvroDeserializer.generic(registry, wanted.dataSchema()))
            .deserialize(topic, bytesOf(start.getData()));
    SagaData sagaData = SagaData.of(SagaDataCodec.encode(wanted.dataSchema(), data));
    Decision decision =
        SagaEngine.decide(
            saga.definition(),
            current,
            new EngineCommand.StartSaga(
                sagaId,
                key,
                request.getRequestId(),
                request.getRequestedBy(),
                sagaData,
                TraceContext.valid(traceparent).orElse(null)),
            now());
    if (!decision.effects().isEmpty()) {
      apply(decision, saga);
    }
  }

  private void handleReply(Record<byte[], byte[]> record, String topic, boolean rerouted) {
    String key = sagaKey(record);
    Headers headers = record.headers();
    String sagaId = requiredHeader(headers, SagaHeaders.SAGA_ID);
    String commandId = requiredHeader(headers, SagaHeaders.COMMAND_ID);
    ReplyOutcome outcome = outcome(requiredHeader(headers, SagaHeaders.OUTCOME));
    SagaInstance current;
    try {
      current = findBySagaId(key, header(headers, SagaHeaders.SAGA_NAME), sagaId);
    } catch (PoisonInputException unknown) {
      if (!rerouted && hashesElsewhere(record.key())) {
        reroute(record, topic);
        return;
      }
      throw unknown;
    }
    DeployedSaga saga = definitionOf(current);
    recordRoundTrip(current, saga, commandId, outcome);
    SagaData merged = null;
    if (outcome == ReplyOutcome.SUCCESS && record.value() != null && record.value().length > 0) {
      GenericRecord reply = replies.deserialize(topic, record.value());
      merged = SagaData.of(SagaDataCodec.merge(current.data().bytes(), saga.dataSchema(), reply));
    }
    decideAndApply(
        current,
        saga,
        new EngineCommand.HandleReply(
            commandId,
            outcome,
            header(headers, SagaHeaders.ERROR_CODE),
            header(headers, SagaHeaders.ERROR_MESSAGE),
            merged));
  }

  /**
   * Measures the step's round trip and reports its span. A command's deadline is its send time plus
   * the step's timeout, so the send time need not be stored.
   */
  private void recordRoundTrip(
      SagaInstance instance, DeployedSaga saga, String commandId, ReplyOutcome outcome) {
    instance
        .inFlight(commandId)
        .ifPresent(
            awaited -> {
              StepDefinition step = saga.definition().step(awaited.stepIndex());
              Instant sentAt = awaited.deadline().minus(step.timeout());
              Instant repliedAt = now();
              String kind = awaited.kind().name().toLowerCase(Locale.ROOT);
              String answer = outcome.name().toLowerCase(Locale.ROOT);
              metrics.stepReplied(
                  instance.definitionName(),
                  step.name(),
                  kind,
                  answer,
                  Duration.between(sentAt, repliedAt));
              if (!tracing.enabled()) {
                return;
              }
              tracing.stepReplied(
                  new SagaTracing.StepSpan(
                      TraceContext.ofSaga(instance),
                      TraceContext.ofCommand(instance, commandId),
                      instance.sagaId(),
                      instance.definitionName(),
                      step.name(),
                      kind,
                      awaited.attempt(),
                      commandId,
                      answer,
                      sentAt,
                      repliedAt));
            });
  }

  private void handleMessage(Record<byte[], byte[]> record, String topic, boolean rerouted) {
    String key = sagaKey(record);
    if (record.value() == null) {
      throw new PoisonInputException(
          DeadLetterReason.UNREADABLE_VALUE, "a message without a value");
    }
    if (!rerouted && hashesElsewhere(record.key()) && !hasInstances(key)) {
      reroute(record, topic);
      return;
    }
    Headers headers = record.headers();
    String messageId = header(headers, MessageHeaders.MESSAGE_ID);
    Long sequence = sequence(header(headers, MessageHeaders.SEQUENCE));
    Duration ttl = timeToLive(header(headers, MessageHeaders.TIME_TO_LIVE));
    GenericRecord message = messages.deserialize(topic, record.value());
    String name = header(headers, MessageHeaders.MESSAGE_NAME);
    if (name == null || name.isBlank()) {
      name = message.getSchema().getFullName();
    } else if (!InstanceKeys.fitsStoreKey(name)) {
      throw new PoisonInputException(
          DeadLetterReason.MALFORMED_HEADER,
          "header " + MessageHeaders.MESSAGE_NAME + " holds a control character");
    }
    if (messageId != null && messageId.length() > InstanceKeys.LONGEST_PART) {
      throw new PoisonInputException(
          DeadLetterReason.MALFORMED_HEADER,
          "the message id is longer than " + InstanceKeys.LONGEST_PART + " characters");
    }
    if (messageId != null && inbox.seen(key, messageId)) {
      return;
    }
    List<SagaInstance> waiting = waitingFor(key, name);
    if (waiting.isEmpty()
        && (key.length() > InstanceKeys.LONGEST_PART
            || name.length() > InstanceKeys.LONGEST_PART)) {
      throw new PoisonInputException(
          DeadLetterReason.MALFORMED_HEADER,
          "a message to keep has a saga key or name longer than "
              + InstanceKeys.LONGEST_PART
              + " characters");
    }
    int kept = record.value().length + key.length() + name.length();
    if (waiting.isEmpty() && kept > largestKeptBytes()) {
      // Refused before its id is marked seen, so that it can be sent again once it fits.
      throw new PoisonInputException(
          DeadLetterReason.PROCESSING_FAILED,
          "a message of "
              + record.value().length
              + " bytes, kept until a saga waits for it, would make a record larger than the"
              + " producer takes (max.request.size)");
    }
    if (waiting.isEmpty()) {
      if (messageId != null) {
        inbox.markSeen(key, messageId, now().plus(ttl));
      }
      long offset = context.recordMetadata().map(RecordMetadata::offset).orElse(0L);
      Instant expiresAt = now().plus(ttl);
      String entry =
          inbox.keep(
              key,
              name,
              sequence != null ? sequence : offset,
              rerouted ? "r" : "m",
              offset,
              new Inbox.Envelope(messageId, expiresAt.toEpochMilli(), record.value()));
      publishInboxEvent(key, entry, JournalCodec.messageBuffered(name, messageId, expiresAt));
      return;
    }
    // Marked seen only once a saga took it: a message that failed as input can be sent again.
    boolean taken = true;
    if (waiting.size() == 1) {
      deliver(waiting.get(0), name, messageId, message);
    } else {
      // Each saga takes the message or not on its own: one that cannot must not keep it from the
      // others, nor undo their taking it.
      taken = false;
      for (SagaInstance instance : waiting) {
        taken |= deliverOrDeadLetter(instance, name, messageId, () -> message, record, false);
      }
    }
    if (taken && messageId != null) {
      inbox.markSeen(key, messageId, now().plus(ttl));
    }
  }

  /**
   * Whether the key belongs on another partition than the one it came on: produced with another
   * partitioner or partition count. Such input goes through the rerouted topic to its saga.
   */
  private boolean hashesElsewhere(byte[] key) {
    int here = context.recordMetadata().map(RecordMetadata::partition).orElse(-1);
    int there = Utils.toPositive(Utils.murmur2(key)) % topics.partitions();
    return here >= 0 && here != there;
  }

  private boolean hasInstances(String key) {
    try (KeyValueIterator<String, byte[]> any =
        instances.prefixScan(InstanceKeys.prefix(key), new StringSerializer())) {
      return any.hasNext();
    }
  }

  private void reroute(Record<byte[], byte[]> record, String topic) {
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    add(headers, REROUTED_FROM, topic);
    context
        .recordMetadata()
        .ifPresent(m -> add(headers, REROUTED_FROM_PARTITION, Integer.toString(m.partition())));
    metrics.rerouted();
    context.forward(
        new Record<byte[], Object>(record.key(), record.value(), record.timestamp(), headers),
        TopologyNames.REROUTED_SINK);
  }

  /** The instances on {@code key} that wait for a message named {@code name}. */
  private List<SagaInstance> waitingFor(String key, String name) {
    List<SagaInstance> waiting = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> candidates =
        instances.prefixScan(InstanceKeys.prefix(key), new StringSerializer())) {
      while (candidates.hasNext()) {
        SagaInstance instance = InstanceCodec.decode(candidates.next().value);
        if (instance.waitingFor() != null && instance.waitingFor().messageName().equals(name)) {
          waiting.add(instance);
        }
      }
    }
    return waiting;
  }

  private void deliver(
      SagaInstance instance, String name, String messageId, GenericRecord message) {
    DeployedSaga saga = definitionOf(instance);
    decideAndApply(
        instance,
        saga,
        new EngineCommand.DeliverMessage(name, messageId, merged(instance, saga, message)));
  }

  private static SagaData merged(SagaInstance instance, DeployedSaga saga, GenericRecord message) {
    return SagaData.of(SagaDataCodec.merge(instance.data().bytes(), saga.dataSchema(), message));
  }

  /** The instance waits for {@code name}: hand it the first message the inbox kept, if any. */
  private void deliverKept(SagaInstance instance, String name) {
    Optional<Inbox.Envelope> kept = inbox.takeFirst(instance.sagaKey(), name);
    if (kept.isEmpty()) {
      return;
    }
    RecordHeaders headers = new RecordHeaders();
    add(headers, MessageHeaders.MESSAGE_NAME, name);
    if (kept.get().messageId() != null) {
      add(headers, MessageHeaders.MESSAGE_ID, kept.get().messageId());
    }
    deliverOrDeadLetter(
        instance,
        name,
        kept.get().messageId(),
        () -> messages.deserialize(topics.messages(), kept.get().value()),
        new Record<>(
            instance.sagaKey().getBytes(StandardCharsets.UTF_8),
            kept.get().value(),
            context.currentSystemTimeMs(),
            headers),
        true);
  }

  /**
   * Delivers a message to one saga; a message that saga cannot take (it does not read, or does not
   * fit the saga's data) goes to dead letters, naming the saga, and the saga goes on waiting. The
   * input that brought it about (the message, or the reply that made the saga wait for a kept one)
   * stands: its effects on other sagas, and its own, are not undone. True when the saga took it.
   */
  private boolean deliverOrDeadLetter(
      SagaInstance instance,
      String name,
      String messageId,
      java.util.function.Supplier<GenericRecord> message,
      Record<byte[], byte[]> asRecord,
      boolean kept) {
    DeployedSaga saga;
    SagaData merged;
    try {
      saga = definitionOf(instance);
      merged = merged(instance, saga, message.get());
    } catch (UnreadableRecordException e) {
      deadLetter(
          asRecord, DeadLetterReason.UNREADABLE_VALUE, forSaga(instance, e.getMessage()), e, kept);
      return false;
    } catch (PoisonInputException e) {
      deadLetter(asRecord, e.reason(), forSaga(instance, e.getMessage()), e, kept);
      return false;
    } catch (org.apache.avro.AvroRuntimeException e) {
      deadLetter(
          asRecord, DeadLetterReason.PROCESSING_FAILED, forSaga(instance, e.toString()), e, kept);
      return false;
    }
    try {
      decideAndApply(instance, saga, new EngineCommand.DeliverMessage(name, messageId, merged));
      return true;
    } catch (PoisonInputException e) {
      // Thrown before anything of the delivery is sent (the saga would grow too large to write).
      deadLetter(asRecord, e.reason(), forSaga(instance, e.getMessage()), e, kept);
      return false;
    }
  }

  /** The bytes of a message the inbox may keep: a JSON inbox writes it in base64, a third more. */
  private int largestKeptBytes() {
    return settings.instanceFormat() == InstanceCodec.Format.JSON
        ? largestInstanceBytes / 4 * 3
        : largestInstanceBytes;
  }

  private static String forSaga(SagaInstance instance, String why) {
    return "message not delivered to saga " + instance.sagaId() + ": " + why;
  }

  private void expireKept(String key, String entry) {
    inbox
        .expire(entry)
        .ifPresent(
            expired -> {
              metrics.inboxExpired();
              publishInboxEvent(
                  key,
                  entry,
                  JournalCodec.messageExpired(Inbox.messageName(entry), expired.messageId()));
            });
  }

  /**
   * Journals what happened to the kept message {@code entry}; its id names the entry's source
   * record, since two messages kept in one poll share a millisecond.
   */
  private void publishInboxEvent(String key, String entry, SagaEvent template) {
    SagaEvent event =
        SagaEvent.newBuilder(template)
            .setSagaKey(key)
            .setOccurredAt(now())
            .setEventId(
                "inbox/"
                    + key
                    + "/"
                    + now().toEpochMilli()
                    + "/"
                    + template.getEvent().getClass().getSimpleName()
                    + "/"
                    + entry.substring(entry.lastIndexOf('\u0000') + 1))
            .build();
    context.forward(
        new Record<byte[], Object>(
            key.getBytes(StandardCharsets.UTF_8),
            events.serialize(topics.events(), event),
            context.currentSystemTimeMs()),
        TopologyNames.EVENTS_SINK);
  }

  private void fireDueTimers(long wallClockMillis) {
    for (Bytes key :
        timers.due(Instant.ofEpochMilli(wallClockMillis), settings.maxTimersPerRun())) {
      timers.delete(key);
      ScheduledTimer scheduled;
      try {
        scheduled = TimerKeys.read(key.get());
      } catch (RuntimeException e) {
        // Written by another version, say: one unreadable key must not stop the timers after it.
        LOG.warn("A timer key this node cannot read is dropped ({})", e.toString());
        continue;
      }
      metrics.timerFired(wallClockMillis - scheduled.timer().dueAt().toEpochMilli());
      onOwn(
          scheduled.sagaKey(),
          scheduled.definitionName(),
          "its " + scheduled.timer().kind() + " timer",
          () -> fire(scheduled));
    }
  }

  private void fire(ScheduledTimer scheduled) {
    if (scheduled.definitionName().equals(Inbox.NO_DEFINITION)) {
      expireKept(scheduled.sagaKey(), scheduled.timer().reference());
      return;
    }
    SagaInstance current = load(scheduled.sagaKey(), scheduled.definitionName());
    if (current != null) {
      decideAndApply(current, new EngineCommand.FireTimer(scheduled.timer()));
    }
  }

  /**
   * Runs one saga's part of a punctuation on its own. Kafka Streams hands a punctuation's failure
   * to the processing exception handler, which has no record to dead-letter and goes on, so without
   * this one saga's failure (a stored instance that cannot be read, say) skipped every timer or
   * stuck instance after it in the batch. What is not the saga's fault (the registry not answering,
   * Kafka refusing the node) still fails the punctuation, and the thread is replaced and tries
   * again.
   */
  private void onOwn(String key, String definition, String what, Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      if (DeadLetterProcessingExceptionHandler.notTheInputsFault(e)) {
        throw e;
      }
      metrics.punctuationFailed();
      LOG.error("Saga {} on key '{}' failed at {}; the others go on", definition, key, what, e);
    }
  }

  private void recover(long wallClockMillis) {
    pendingTimers.step();
    keptMessages.step();
    recovery.next(wallClockMillis).ifPresent(this::act);
  }

  private void act(RecoveryScan.Slice slice) {
    slice.ended().forEach(instances::delete);
    if (!slice.ended().isEmpty()) {
      metrics.endedRemoved(slice.ended().size());
    }
    for (SagaInstance instance : slice.stuck()) {
      onOwn(instance.sagaKey(), instance.definitionName(), "its re-drive", () -> redrive(instance));
    }
    slice
        .finished()
        .ifPresent(
            pass -> {
              metrics.recoveryScanned(
                  context.taskId().toString(),
                  pass.took(),
                  redrivenThisPass,
                  new TaskCensus(
                      pass.instances(),
                      pendingTimers.lastTotal(),
                      keptMessages.lastTotal(),
                      pass.openByVersion()));
              redrivenThisPass = 0;
              pendingTimers.again();
              keptMessages.again();
            });
  }

  private void redrive(SagaInstance instance) {
    Decision decision = decideAndApply(instance, new EngineCommand.Redrive());
    if (!decision.effects().isEmpty()) {
      metrics.redriven();
      redrivenThisPass++;
    }
  }

  @Override
  public void close() {
    metrics.taskClosed(context.taskId().toString());
  }

  private Decision decideAndApply(SagaInstance current, EngineCommand command) {
    return decideAndApply(current, definitionOf(current), command);
  }

  private Decision decideAndApply(SagaInstance current, DeployedSaga saga, EngineCommand command) {
    Decision decision = SagaEngine.decide(saga.definition(), current, command, now());
    if (!decision.effects().isEmpty() || !decision.instance().equals(current)) {
      apply(decision, saga);
    }
    SagaInstance after = decision.instance();
    if (tracing.enabled() && !current.status().isTerminal() && after.status().isTerminal()) {
      tracing.sagaEnded(
          new SagaTracing.SagaSpan(
              TraceContext.ofSaga(after),
              TraceContext.callerSpanId(after),
              after.sagaId(),
              after.sagaKey(),
              after.definitionName(),
              after.definitionVersion(),
              after.status().name(),
              after.startedAt(),
              after.updatedAt()));
    }
    return decision;
  }

  private void apply(Decision decision, DeployedSaga saga) {
    SagaInstance instance = decision.instance();
    if (instance == null) {
      return;
    }
    // Encoded before anything is sent: an instance too large to write fails its input whole, so
    // that the input goes to dead letters rather than a transaction that can never commit.
    byte[] encoded = InstanceCodec.encode(instance, settings.instanceFormat());
    if (encoded.length > largestInstanceBytes) {
      throw new PoisonInputException(
          DeadLetterReason.PROCESSING_FAILED,
          "saga "
              + instance.sagaId()
              + " would hold "
              + encoded.length
              + " bytes of state, more than the "
              + largestInstanceBytes
              + " a record may take (max.request.size less room for headers): its data grew too"
              + " large, and nothing of this input was applied");
    }
    byte[] key = instance.sagaKey().getBytes(StandardCharsets.UTF_8);
    // Every record is built before any is sent, as the instance is encoded: a saga whose data
    // cannot be projected onto a command, or an event that cannot be written, fails its input
    // whole, not after some of its records went out.
    List<Record<byte[], Object>> records = new ArrayList<>();
    String sagaTrace = null;
    for (Effect effect : decision.effects()) {
      if (effect instanceof Effect.SendCommand send) {
        records.add(command(instance, saga, send, key));
      } else if (effect instanceof Effect.PublishEvent publish) {
        if (sagaTrace == null) {
          sagaTrace = TraceContext.ofSaga(instance);
        }
        records.add(journalEvent(instance, publish, key, sagaTrace));
      }
    }
    java.util.Iterator<Record<byte[], Object>> nextRecord = records.iterator();
    List<Effect.AwaitMessage> awaiting = new ArrayList<>();
    for (Effect effect : decision.effects()) {
      if (effect instanceof Effect.AwaitMessage await) {
        awaiting.add(await);
      }
      if (effect instanceof Effect.SendCommand) {
        context.forward(nextRecord.next(), TopologyNames.COMMANDS_SINK);
      } else if (effect instanceof Effect.PublishEvent publish) {
        metrics.journaled(instance.definitionName(), publish.event().type());
        context.forward(nextRecord.next(), TopologyNames.EVENTS_SINK);
      } else if (effect instanceof Effect.ScheduleTimer schedule) {
        timers.put(timerKey(instance, schedule.timer()));
      } else if (effect instanceof Effect.CancelTimer cancel) {
        timers.delete(timerKey(instance, cancel.timer()));
      } else if (effect instanceof Effect.RaiseIncident) {
        metrics.incidentRaised();
      }
    }
    instances.put(InstanceKeys.key(instance.sagaKey(), instance.definitionName()), encoded);
    // Only once the instance is stored: delivering a kept message decides on it again.
    for (Effect.AwaitMessage await : awaiting) {
      deliverKept(instance, await.messageName());
    }
  }

  private Record<byte[], Object> journalEvent(
      SagaInstance instance, Effect.PublishEvent publish, byte[] key, String sagaTrace) {
    byte[] value = events.serialize(topics.events(), JournalCodec.toContract(instance, publish));
    RecordHeaders headers = new RecordHeaders();
    add(headers, SagaHeaders.TRACEPARENT, sagaTrace);
    return new Record<>(key, value, publish.occurredAt().toEpochMilli(), headers);
  }

  private Record<byte[], Object> command(
      SagaInstance instance, DeployedSaga saga, Effect.SendCommand send, byte[] key) {
    DeployedSaga.CommandSchema schema = saga.command(send.step(), send.kind());
    GenericRecord command =
        SagaDataCodec.command(instance.data().bytes(), saga.dataSchema(), schema.schema());
    byte[] value = SagaDataCodec.framed(schema.schemaId(), schema.schema(), command);
    RecordHeaders headers = new RecordHeaders();
    add(headers, SagaHeaders.SAGA_ID, instance.sagaId());
    add(headers, SagaHeaders.SAGA_NAME, instance.definitionName());
    add(headers, SagaHeaders.SAGA_STEP, send.step());
    add(
        headers,
        SagaHeaders.SAGA_KIND,
        send.kind() == CommandKind.ACTION
            ? SagaHeaders.KIND_ACTION
            : SagaHeaders.KIND_COMPENSATION);
    add(headers, SagaHeaders.COMMAND_ID, send.commandId());
    add(headers, SagaHeaders.ATTEMPT, Integer.toString(send.attempt()));
    add(headers, SagaHeaders.REPLY_TO, topics.replies());
    add(headers, SagaHeaders.DEADLINE, send.deadline().toString());
    add(headers, SagaHeaders.TRACEPARENT, TraceContext.ofCommand(instance, send.commandId()));
    return new Record<>(
        key, new RoutedCommand(send.topic(), value), context.currentSystemTimeMs(), headers);
  }

  private void deadLetter(
      Record<byte[], byte[]> record, DeadLetterReason reason, String message, Exception cause) {
    deadLetter(record, reason, message, cause, false);
  }

  /**
   * @param kept the record is a message the inbox kept, not the input being processed: its source
   *     is the messages topic, at an offset no longer known
   */
  private void deadLetter(
      Record<byte[], byte[]> record,
      DeadLetterReason reason,
      String message,
      Exception cause,
      boolean kept) {
    DeadLetters.Source source =
        kept
            ? new DeadLetters.Source(topics.messages(), null, null)
            : context
                .recordMetadata()
                .map(m -> new DeadLetters.Source(m.topic(), m.partition(), m.offset()))
                .orElse(new DeadLetters.Source(null, null, null));
    Headers headers = DeadLetters.headers(record.headers(), reason, message, source, cause, now());
    metrics.deadLettered(reason);
    context.forward(
        new Record<byte[], Object>(
            record.key(),
            DeadLetters.copied(record.value(), headers, largestInstanceBytes),
            record.timestamp(),
            headers),
        TopologyNames.DEAD_LETTERS_SINK);
  }

  private SagaInstance load(String key, String definitionName) {
    byte[] bytes = instances.get(InstanceKeys.key(key, definitionName));
    return bytes == null ? null : InstanceCodec.decode(bytes);
  }

  private SagaInstance requireInstance(String key, String definitionName) {
    SagaInstance instance = load(key, definitionName);
    if (instance == null) {
      throw new PoisonInputException(
          DeadLetterReason.UNKNOWN_SAGA, "no saga " + definitionName + " on key '" + key + "'");
    }
    return instance;
  }

  /** The instance with {@code sagaId} on {@code key}; by definition name when the reply says it. */
  private SagaInstance findBySagaId(String key, String definitionName, String sagaId) {
    if (definitionName != null) {
      SagaInstance instance = load(key, definitionName);
      if (instance != null && instance.sagaId().equals(sagaId)) {
        return instance;
      }
    }
    try (KeyValueIterator<String, byte[]> candidates =
        instances.prefixScan(InstanceKeys.prefix(key), new StringSerializer())) {
      while (candidates.hasNext()) {
        SagaInstance instance = InstanceCodec.decode(candidates.next().value);
        if (instance.sagaId().equals(sagaId)) {
          return instance;
        }
      }
    }
    throw new PoisonInputException(
        DeadLetterReason.UNKNOWN_SAGA,
        "a reply for saga " + sagaId + ", unknown on key '" + key + "'");
  }

  private DeployedSaga definitionOf(SagaInstance instance) {
    return catalog
        .version(instance.definitionName(), instance.definitionVersion())
        .orElseThrow(
            () ->
                new PoisonInputException(
                    DeadLetterReason.UNKNOWN_DEFINITION,
                    "definition "
                        + instance.definitionName()
                        + " version "
                        + instance.definitionVersion()
                        + " of saga "
                        + instance.sagaId()
                        + " is not deployed"));
  }

  private Instant now() {
    return Instant.ofEpochMilli(context.currentSystemTimeMs());
  }

  private static Bytes timerKey(SagaInstance instance, io.sagastream.engine.Timer timer) {
    return Bytes.wrap(TimerKeys.key(instance.sagaKey(), instance.definitionName(), timer));
  }

  /**
   * The record's saga key, refused when it is not text that fits a store key: decoded leniently,
   * two different keys could read as one, and a NUL in one would read another key's sagas.
   */
  private static String sagaKey(Record<byte[], byte[]> record) {
    if (record.key() == null || record.key().length == 0) {
      throw new PoisonInputException(DeadLetterReason.UNREADABLE_KEY, "no saga key");
    }
    String key;
    try {
      key = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(record.key())).toString();
    } catch (CharacterCodingException e) {
      throw new PoisonInputException(
          DeadLetterReason.UNREADABLE_KEY, "the saga key is not UTF-8 text");
    }
    if (!InstanceKeys.fitsStoreKey(key)) {
      throw new PoisonInputException(
          DeadLetterReason.UNREADABLE_KEY, "the saga key holds a control character");
    }
    return key;
  }

  private static ReplyOutcome outcome(String text) {
    return switch (text) {
      case SagaHeaders.OUTCOME_SUCCESS -> ReplyOutcome.SUCCESS;
      case SagaHeaders.OUTCOME_FAILURE -> ReplyOutcome.FAILURE;
      case SagaHeaders.OUTCOME_RETRYABLE_FAILURE -> ReplyOutcome.RETRYABLE_FAILURE;
      default ->
          throw new PoisonInputException(
              DeadLetterReason.MALFORMED_HEADER,
              "header "
                  + SagaHeaders.OUTCOME
                  + " is '"
                  + text
                  + "'; expected success, failure or retryable-failure");
    };
  }

  private static byte[] bytesOf(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  private static Long sequence(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      long sequence = Long.parseLong(text.trim());
      if (sequence < 0) {
        throw new NumberFormatException("negative");
      }
      return sequence;
    } catch (NumberFormatException e) {
      throw new PoisonInputException(
          DeadLetterReason.MALFORMED_HEADER,
          "header "
              + MessageHeaders.SEQUENCE
              + " is '"
              + text
              + "'; expected a whole number from 0");
    }
  }

  private Duration timeToLive(String text) {
    if (text == null || text.isBlank()) {
      return settings.inboxTimeToLive();
    }
    try {
      Duration ttl = Duration.parse(text.trim());
      if (!ttl.isNegative()
          && !ttl.isZero()
          && ttl.compareTo(MessageHeaders.LONGEST_TIME_TO_LIVE) <= 0) {
        return ttl;
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    throw new PoisonInputException(
        DeadLetterReason.MALFORMED_HEADER,
        "header "
            + MessageHeaders.TIME_TO_LIVE
            + " is '"
            + text
            + "'; expected a positive ISO-8601 duration such as PT1H, at most P"
            + MessageHeaders.LONGEST_TIME_TO_LIVE.toDays()
            + "D");
  }

  private static String requiredHeader(Headers headers, String name) {
    String value = header(headers, name);
    if (value == null || value.isBlank()) {
      throw new PoisonInputException(
          DeadLetterReason.MISSING_HEADER, "header " + name + " is missing");
    }
    return value;
  }

  private static String header(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static void add(Headers headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
