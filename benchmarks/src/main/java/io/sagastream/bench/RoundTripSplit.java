package io.sagastream.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * Splits step round trips at the participant's reply: the way out (the command waiting for the
 * node's commit, the participant's fetch and work) and the way back (the reply waiting for the
 * participant's commit, the node's fetch and its queue). The way back is split once more where a
 * read_committed reader first saw the reply: before it, the reply waited for its own transaction
 * and every other transaction open on its partition when it was written (the last stable offset);
 * after it, for the node. The reply record and the journal's {@code StepReplyReceived} are read
 * from two topics in no set order, so whichever comes second splits. Not thread-safe: the caller
 * guards it.
 */
final class RoundTripSplit {

  private final Map<String, long[]> repliedAndSeen = new HashMap<>();
  private final Map<String, long[]> awaitingReply = new HashMap<>();
  private final Samples times = new Samples();
  private final Samples outward = new Samples();
  private final Samples back = new Samples();
  private final Samples untilVisible = new Samples();
  private final Samples atTheNode = new Samples();

  /**
   * The participant sent the reply to {@code commandId} at {@code at}, and a read_committed reader
   * first saw it at {@code seen} (both epoch millis).
   */
  void replied(String commandId, long at, long seen) {
    long[] sentAndReceived = awaitingReply.remove(commandId);
    if (sentAndReceived == null) {
      repliedAndSeen.put(commandId, new long[] {at, seen});
    } else {
      split(sentAndReceived[0], at, seen, sentAndReceived[1]);
    }
  }

  /** The node sent the command at {@code sent} and took its reply at {@code received}. */
  void received(String commandId, long sent, long received) {
    long[] replied = repliedAndSeen.remove(commandId);
    if (replied == null) {
      awaitingReply.put(commandId, new long[] {sent, received});
    } else {
      split(sent, replied[0], replied[1], received);
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

  /**
   * Of the ways back, the part until a read_committed reader saw the reply (ms): the participant's
   * commit, and the commits of the other transactions that held its partition's stable offset.
   */
  Samples untilVisible(long from, long to) {
    return untilVisible.at(times, from, to);
  }

  /**
   * Of the ways back, the part from a read_committed reader seeing the reply to the node taking it
   * (ms): the node's fetch and the queue in front of its stream thread. Below zero when the node
   * fetched the reply before the reader did.
   */
  Samples atTheNode(long from, long to) {
    return atTheNode.at(times, from, to);
  }

  private void split(long sent, long replied, long seen, long received) {
    times.add(received);
    outward.add(replied - sent);
    back.add(received - replied);
    untilVisible.add(seen - replied);
    atTheNode.add(received - seen);
  }
}
