package io.sagastream.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * Splits step round trips at the participant's reply: the way out (the command waiting for the
 * node's commit, the participant's fetch and work) and the way back (the reply waiting for the
 * participant's commit, the node's fetch and its queue). The reply record and the journal's {@code
 * StepReplyReceived} are read from two topics in no set order, so whichever comes second splits.
 * Not thread-safe: the caller guards it.
 */
final class RoundTripSplit {

  private final Map<String, Long> repliedAt = new HashMap<>();
  private final Map<String, long[]> awaitingReply = new HashMap<>();
  private final Samples times = new Samples();
  private final Samples outward = new Samples();
  private final Samples back = new Samples();

  /** The participant sent the reply to {@code commandId} at {@code at} (epoch millis). */
  void replied(String commandId, long at) {
    long[] sentAndReceived = awaitingReply.remove(commandId);
    if (sentAndReceived == null) {
      repliedAt.put(commandId, at);
    } else {
      split(sentAndReceived[0], at, sentAndReceived[1]);
    }
  }

  /** The node sent the command at {@code sent} and took its reply at {@code received}. */
  void received(String commandId, long sent, long received) {
    Long replied = repliedAt.remove(commandId);
    if (replied == null) {
      awaitingReply.put(commandId, new long[] {sent, received});
    } else {
      split(sent, replied, received);
    }
  }

  /** The ways out (ms) of the round trips whose reply the node took in [from, to). */
  Samples outward(long from, long to) {
    return outward.at(times, from, to);
  }

  /** The ways back (ms) of the round trips whose reply the node took in [from, to). */
  Samples back(long from, long to) {
    return back.at(times, from, to);
  }

  private void split(long sent, long replied, long received) {
    times.add(received);
    outward.add(replied - sent);
    back.add(received - replied);
  }
}
