package io.sagastream.codec;

import io.sagastream.engine.AwaitedCommand;
import io.sagastream.engine.CommandKind;
import io.sagastream.engine.HistoryEntry;
import io.sagastream.engine.Incident;
import io.sagastream.engine.InstanceSummary;
import io.sagastream.engine.PendingRetry;
import io.sagastream.engine.SagaData;
import io.sagastream.engine.SagaInstance;
import io.sagastream.engine.SagaStatus;
import io.sagastream.engine.Timer;
import io.sagastream.engine.TimerKind;
import io.sagastream.engine.WaitingFor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Saga instances as compact binary (format 2): every step reads and rewrites its instance, and the
 * JSON form cost about a third of the stream thread's time per step (most of it parsing ISO
 * timestamps and binding records by reflection). Fields are written in a fixed order, numbers as
 * variable-length integers, strings as UTF-8 with their length, enums by name (so that reordering
 * an enum cannot change a stored instance's meaning), and every reference that may be null behind a
 * presence byte. Adding a field means a new format number, read beside this one, or an optional
 * tail written only when not empty (the unanswered actions): a build before the tail refuses an
 * instance that has it.
 */
final class InstanceBinaryFormat {

  /** The first byte of the binary form; a JSON envelope always starts with '{'. */
  static final byte MARKER = 2;

  /**
   * The kind of an incident that no command raised (a receive step's timeout with {@code fail}).
   * The first builds wrote a kind's name unconditionally and failed on such an incident, so no
   * stored instance holds this.
   */
  private static final String NO_KIND = "";

  private InstanceBinaryFormat() {}

  static byte[] encode(SagaInstance instance) {
    Writer out = Writer.scratch();
    out.bytes[out.size++] = MARKER;
    out.string(instance.sagaId());
    out.string(instance.sagaKey());
    out.string(instance.definitionName());
    out.varLong(instance.definitionVersion());
    out.string(instance.status().name());
    out.blob(instance.data().bytes());
    out.list(instance.completedSteps(), out::integer);
    out.list(instance.compensationQueue(), out::integer);
    out.list(instance.inFlight(), command -> writeAwaited(out, command));
    out.list(instance.retries(), retry -> writeRetry(out, retry));
    out.nullable(instance.waitingFor(), waiting -> writeWaiting(out, waiting));
    out.list(instance.timers(), timer -> writeTimer(out, timer));
    out.nullable(instance.incident(), incident -> writeIncident(out, incident));
    out.varLong(instance.attempts().size());
    instance
        .attempts()
        .forEach(
            (step, attempt) -> {
              out.string(step);
              out.varLong(attempt);
            });
    out.nullableString(instance.lastAnsweredCommandId());
    out.nullable(instance.startedAt(), out::instant);
    out.nullable(instance.updatedAt(), out::instant);
    out.nullable(instance.deadline(), out::instant);
    out.varLong(instance.nextSequence());
    out.list(instance.history(), entry -> writeHistory(out, entry));
    out.nullableString(instance.traceParent());
    // An optional tail, written only when there is something in it: builds before 2026-11-25 refuse
    // bytes after the trace, so an instance without it stays readable by them (README, Upgrades).
    if (!instance.unansweredActions().isEmpty()) {
      out.list(instance.unansweredActions(), out::integer);
    }
    return out.toByteArray();
  }

  static SagaInstance decode(byte[] bytes) {
    Reader in = new Reader(bytes);
    if (in.bytes.length == 0 || in.bytes[in.position++] != MARKER) {
      throw new IllegalArgumentException("not a binary saga instance");
    }
    String sagaId = in.string();
    String sagaKey = in.string();
    String definitionName = in.string();
    int definitionVersion = in.varInt();
    SagaStatus status = SagaStatus.valueOf(in.string());
    SagaData data = SagaData.of(in.blob());
    List<Integer> completedSteps = in.list(Reader::varInt);
    List<Integer> compensationQueue = in.list(Reader::varInt);
    List<AwaitedCommand> inFlight = in.list(InstanceBinaryFormat::readAwaited);
    List<PendingRetry> retries = in.list(InstanceBinaryFormat::readRetry);
    WaitingFor waitingFor = in.nullable(InstanceBinaryFormat::readWaiting);
    List<Timer> timers = in.list(InstanceBinaryFormat::readTimer);
    Incident incident = in.nullable(InstanceBinaryFormat::readIncident);
    int attemptCount = in.varInt();
    Map<String, Integer> attempts = new HashMap<>();
    for (int i = 0; i < attemptCount; i++) {
      attempts.put(in.string(), in.varInt());
    }
    String lastAnsweredCommandId = in.nullableString();
    Instant startedAt = in.nullable(Reader::instant);
    Instant updatedAt = in.nullable(Reader::instant);
    Instant deadline = in.nullable(Reader::instant);
    long nextSequence = in.varLong();
    List<HistoryEntry> history = in.list(InstanceBinaryFormat::readHistory);
    String traceParent = in.nullableString();
    // The optional tail: absent when empty, and in every instance stored before 2026-11-25.
    List<Integer> unansweredActions =
        in.position < bytes.length ? in.list(Reader::varInt) : List.of();
    if (in.position != bytes.length) {
      throw new IllegalArgumentException(
          (bytes.length - in.position) + " bytes left after the saga instance");
    }
    return new SagaInstance(
        sagaId,
        sagaKey,
        definitionName,
        definitionVersion,
        status,
        data,
        completedSteps,
        compensationQueue,
        inFlight,
        retries,
        waitingFor,
        timers,
        incident,
        attempts,
        lastAnsweredCommandId,
        startedAt,
        updatedAt,
        deadline,
        nextSequence,
        history,
        traceParent,
        unansweredActions);
  }

  /**
   * The instance's summary, read without materialising anything the summary does not hold: the
   * recovery scan reads every instance of its task, ended ones included, on every pass.
   */
  static InstanceSummary summarize(byte[] bytes) {
    Reader in = new Reader(bytes);
    if (in.bytes.length == 0 || in.bytes[in.position++] != MARKER) {
      throw new IllegalArgumentException("not a binary saga instance");
    }
    in.skipBlob(); // saga id
    in.skipBlob(); // saga key
    String definitionName = in.string();
    int definitionVersion = in.varInt();
    SagaStatus status = SagaStatus.valueOf(in.string());
    in.skipBlob(); // data
    in.skipList(Reader::varLong); // completed steps
    in.skipList(Reader::varLong); // compensation queue
    in.skipList(InstanceBinaryFormat::skipAwaited);
    in.skipList(InstanceBinaryFormat::skipRetry);
    in.skipNullable(InstanceBinaryFormat::skipWaiting);
    Instant earliestTimerDue = null;
    int timers = in.varInt();
    for (int i = 0; i < timers; i++) {
      in.skipBlob(); // kind
      Instant due = in.instant();
      in.skipBlob(); // reference
      earliestTimerDue =
          earliestTimerDue == null || due.isBefore(earliestTimerDue) ? due : earliestTimerDue;
    }
    in.skipNullable(InstanceBinaryFormat::skipIncident);
    in.skipList(InstanceBinaryFormat::skipAttempt);
    in.skipNullable(Reader::skipBlob); // last answered command id
    in.skipNullable(Reader::instant); // started at
    Instant updatedAt = in.nullable(Reader::instant);
    return new InstanceSummary(
        definitionName, definitionVersion, status, updatedAt, earliestTimerDue);
  }

  private static void writeAwaited(Writer out, AwaitedCommand command) {
    out.varLong(command.stepIndex());
    out.string(command.kind().name());
    out.varLong(command.attempt());
    out.varLong(command.tryNumber());
    out.string(command.commandId());
    out.nullable(command.deadline(), out::instant);
  }

  private static AwaitedCommand readAwaited(Reader in) {
    return new AwaitedCommand(
        in.varInt(),
        CommandKind.valueOf(in.string()),
        in.varInt(),
        in.varInt(),
        in.string(),
        in.nullable(Reader::instant));
  }

  private static void skipAwaited(Reader in) {
    in.varLong();
    in.skipBlob();
    in.varLong();
    in.varLong();
    in.skipBlob();
    in.skipNullable(Reader::instant);
  }

  private static void writeRetry(Writer out, PendingRetry retry) {
    out.varLong(retry.stepIndex());
    out.string(retry.kind().name());
    out.varLong(retry.attempt());
    out.varLong(retry.tryNumber());
    out.string(retry.commandId());
  }

  private static PendingRetry readRetry(Reader in) {
    return new PendingRetry(
        in.varInt(), CommandKind.valueOf(in.string()), in.varInt(), in.varInt(), in.string());
  }

  private static void skipRetry(Reader in) {
    in.varLong();
    in.skipBlob();
    in.varLong();
    in.varLong();
    in.skipBlob();
  }

  private static void writeWaiting(Writer out, WaitingFor waiting) {
    out.varLong(waiting.stepIndex());
    out.string(waiting.messageName());
  }

  private static WaitingFor readWaiting(Reader in) {
    return new WaitingFor(in.varInt(), in.string());
  }

  private static void skipWaiting(Reader in) {
    in.varLong();
    in.skipBlob();
  }

  private static void writeTimer(Writer out, Timer timer) {
    out.string(timer.kind().name());
    out.instant(timer.dueAt());
    out.string(timer.reference());
  }

  private static Timer readTimer(Reader in) {
    return new Timer(TimerKind.valueOf(in.string()), in.instant(), in.string());
  }

  private static void writeIncident(Writer out, Incident incident) {
    out.varLong(incident.stepIndex());
    out.nullableString(incident.step());
    out.string(incident.kind() == null ? NO_KIND : incident.kind().name());
    out.varLong(incident.attempts());
    out.nullableString(incident.errorCode());
    out.nullableString(incident.errorMessage());
    out.nullable(incident.raisedAt(), out::instant);
  }

  private static Incident readIncident(Reader in) {
    return new Incident(
        in.varInt(),
        in.nullableString(),
        kindOf(in.string()),
        in.varInt(),
        in.nullableString(),
        in.nullableString(),
        in.nullable(Reader::instant));
  }

  private static CommandKind kindOf(String stored) {
    return stored.equals(NO_KIND) ? null : CommandKind.valueOf(stored);
  }

  private static void skipIncident(Reader in) {
    in.varLong();
    in.skipNullable(Reader::skipBlob);
    in.skipBlob();
    in.varLong();
    in.skipNullable(Reader::skipBlob);
    in.skipNullable(Reader::skipBlob);
    in.skipNullable(Reader::instant);
  }

  private static void skipAttempt(Reader in) {
    in.skipBlob();
    in.varLong();
  }

  private static void writeHistory(Writer out, HistoryEntry entry) {
    out.varLong(entry.sequence());
    out.nullable(entry.at(), out::instant);
    out.nullableString(entry.event());
    out.nullableString(entry.detail());
  }

  private static HistoryEntry readHistory(Reader in) {
    return new HistoryEntry(
        in.varLong(), in.nullable(Reader::instant), in.nullableString(), in.nullableString());
  }

  private static final class Writer {
    private static final int INITIAL_CAPACITY = 4096;

    /**
     * Every step encodes its instance, and growing a fresh buffer to each instance's size cost more
     * than the copy out; so each thread writes into one buffer of its own, kept between calls.
     */
    private static final ThreadLocal<Writer> SCRATCH =
        ThreadLocal.withInitial(() -> new Writer(INITIAL_CAPACITY));

    /** A buffer grown past this by an instance with large data is not kept for the next one. */
    private static final int KEPT_CAPACITY = 1 << 20;

    private byte[] bytes;
    private int size;

    private Writer(int capacity) {
      bytes = new byte[capacity];
    }

    static Writer scratch() {
      Writer writer = SCRATCH.get();
      writer.size = 0;
      return writer;
    }

    byte[] toByteArray() {
      byte[] written = Arrays.copyOf(bytes, size);
      if (bytes.length > KEPT_CAPACITY) {
        bytes = new byte[INITIAL_CAPACITY];
      }
      return written;
    }

    private void room(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }

    /** Zig-zag, so that the odd negative number stays short too. */
    void varLong(long value) {
      long zigZag = (value << 1) ^ (value >> 63);
      room(10);
      while ((zigZag & ~0x7FL) != 0) {
        bytes[size++] = (byte) ((zigZag & 0x7F) | 0x80);
        zigZag >>>= 7;
      }
      bytes[size++] = (byte) zigZag;
    }

    void blob(byte[] value) {
      varLong(value.length);
      room(value.length);
      System.arraycopy(value, 0, bytes, size, value.length);
      size += value.length;
    }

    /** ASCII, which almost every name, id and status is, is copied without an encoder. */
    void string(String value) {
      int length = value.length();
      for (int i = 0; i < length; i++) {
        if (value.charAt(i) >= 0x80) {
          blob(value.getBytes(StandardCharsets.UTF_8));
          return;
        }
      }
      varLong(length);
      room(length);
      for (int i = 0; i < length; i++) {
        bytes[size++] = (byte) value.charAt(i);
      }
    }

    void nullableString(String value) {
      nullable(value, this::string);
    }

    void instant(Instant value) {
      varLong(value.getEpochSecond());
      varLong(value.getNano());
    }

    <T> void nullable(T value, Consumer<T> write) {
      room(1);
      bytes[size++] = (byte) (value == null ? 0 : 1);
      if (value != null) {
        write.accept(value);
      }
    }

    <T> void list(List<T> values, Consumer<T> write) {
      varLong(values.size());
      for (T value : values) {
        write.accept(value);
      }
    }

    void integer(Integer value) {
      varLong(value.longValue());
    }
  }

  private static final class Reader {
    private final byte[] bytes;
    private int position;

    Reader(byte[] bytes) {
      this.bytes = bytes;
    }

    long varLong() {
      long zigZag = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte next = bytes[position++];
        zigZag |= (long) (next & 0x7F) << shift;
        if ((next & 0x80) == 0) {
          return (zigZag >>> 1) ^ -(zigZag & 1);
        }
      }
      throw new IllegalArgumentException("a number longer than 64 bits at byte " + position);
    }

    int varInt() {
      return Math.toIntExact(varLong());
    }

    /** The length before a blob or string, checked against what is left. */
    private int length() {
      int length = varInt();
      if (length < 0 || length > bytes.length - position) {
        throw new IllegalArgumentException("a length of " + length + " at byte " + position);
      }
      return length;
    }

    byte[] blob() {
      int length = length();
      byte[] value = Arrays.copyOfRange(bytes, position, position + length);
      position += length;
      return value;
    }

    String string() {
      int length = length();
      String value = new String(bytes, position, length, StandardCharsets.UTF_8);
      position += length;
      return value;
    }

    String nullableString() {
      return nullable(Reader::string);
    }

    Instant instant() {
      return Instant.ofEpochSecond(varLong(), varLong());
    }

    <T> T nullable(Function<Reader, T> read) {
      return bytes[position++] == 0 ? null : read.apply(this);
    }

    <T> List<T> list(Function<Reader, T> read) {
      int count = varInt();
      List<T> values = new ArrayList<>(Math.min(count, 64));
      for (int i = 0; i < count; i++) {
        values.add(read.apply(this));
      }
      return values;
    }

    /** Passes over a blob or a string without copying it. */
    void skipBlob() {
      int length = length();
      position += length;
    }

    void skipNullable(Consumer<Reader> skip) {
      if (bytes[position++] != 0) {
        skip.accept(this);
      }
    }

    void skipList(Consumer<Reader> skip) {
      int count = varInt();
      for (int i = 0; i < count; i++) {
        skip.accept(this);
      }
    }
  }
}
