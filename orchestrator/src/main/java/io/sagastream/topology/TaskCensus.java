package io.sagastream.topology;

import io.sagastream.engine.SagaStatus;
import java.util.Map;

/**
 * What one task holds, counted by its recovery scan: instances by definition and status, timers
 * waiting to fire, and messages kept in the inbox for a saga that does not wait for them yet.
 *
 * @param openByVersion instances that have not ended, by definition and version: what a new version
 *     has yet to take over from the old ones
 */
public record TaskCensus(
    Map<String, Map<SagaStatus, Long>> instances,
    long timersPending,
    long inboxMessages,
    Map<String, Map<Integer, Long>> openByVersion) {}
