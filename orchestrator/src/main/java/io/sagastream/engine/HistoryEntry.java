package io.sagastream.engine;

import java.time.Instant;

/** One line of an instance's recent history, for people reading the instance. */
public record HistoryEntry(long sequence, Instant at, String event, String detail) {}
