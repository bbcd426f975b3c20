package io.sagastream.app;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.KafkaFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a silent peer's stream threads out of the consumer group and fences their producers,
 * through one Admin client kept open.
 *
 * <p>The group's members are described every second in the background, and a takeover works from
 * the last description. In the system tests the first takeover after a start took 400 to 850 ms
 * where later ones took 120 to 300: the Admin client had not yet found the group coordinator or
 * connected to it, and its code ran cold. Describing the group keeps that path warm and saves the
 * takeover a round trip; removal and fencing then go out together. A member id is not needed to
 * remove a static member, only its instance id, which a restart does not change, so a description a
 * second old names the right members.
 */
final class GroupTakeover implements AutoCloseable {

  static final Duration DESCRIBE_EVERY = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(GroupTakeover.class);
  private static final long WAIT_SECONDS = 5;
  private static final Pattern STREAM_THREAD_CONSUMER =
      Pattern.compile("-StreamThread-(\\d+)-consumer$");

  private final Admin admin;
  private final String applicationId;
  private volatile List<MemberDescription> lastDescribed = List.of();
  private volatile boolean describing;

  GroupTakeover(Admin admin, String applicationId) {
    this.admin = admin;
    this.applicationId = applicationId;
  }

  /** What a takeover did: no member removed means the peer was out of the group already. */
  record Outcome(int membersRemoved, List<String> fenced, Optional<Exception> fencingFailure) {}

  /** Describes the group in the background, unless the last description is still under way. */
  void describeGroup() {
    if (describing) {
      return;
    }
    describing = true;
    KafkaFuture<ConsumerGroupDescription> described;
    try {
      described = described();
    } catch (RuntimeException e) {
      describing = false;
      throw e;
    }
    described.whenComplete(
        (group, failure) -> {
          describing = false;
          if (failure == null) {
            lastDescribed = List.copyOf(group.members());
          } else {
            LOG.debug("Could not describe group {}: {}", applicationId, failure.toString());
          }
        });
  }

  /**
   * Removes the members of the node {@code instanceId} and fences the producers of its process
   * {@code processId}. Throws when the removal fails: the caller tries again, and that attempt
   * describes the group afresh.
   */
  Outcome takeOver(String instanceId, String processId, boolean firstAttempt) throws Exception {
    List<MemberDescription> members = ownedBy(instanceId, lastDescribed);
    if (!firstAttempt || members.isEmpty()) {
      members = ownedBy(instanceId, describeNow());
    }
    if (members.isEmpty()) {
      // Another survivor was first, or the group's session timeout was.
      return new Outcome(0, List.of(), Optional.empty());
    }
    // Named from the members rather than looked up with listTransactions, which asks every broker
    // and failed while one was down.
    List<String> transactions =
        members.stream()
            .flatMap(m -> transactionalId(applicationId, processId, m.clientId()).stream())
            .toList();
    KafkaFuture<Void> removal =
        admin
            .removeMembersFromConsumerGroup(
                applicationId,
                new RemoveMembersFromConsumerGroupOptions(
                    members.stream()
                        .map(m -> new MemberToRemove(m.groupInstanceId().orElseThrow()))
                        .toList()))
            .all();
    // Fenced while the removal is on its way, not after it: the dead node's open transaction
    // holds back read_committed readers of its partitions until it is aborted.
    KafkaFuture<Void> fencing =
        transactions.isEmpty()
            ? KafkaFuture.completedFuture(null)
            : admin.fenceProducers(transactions).all();
    removal.get(WAIT_SECONDS, TimeUnit.SECONDS);
    Optional<Exception> fencingFailure = Optional.empty();
    try {
      fencing.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      // Its open transaction then ends at transaction.timeout.ms; the partitions moved anyway.
      fencingFailure = Optional.of(e);
    }
    return new Outcome(members.size(), transactions, fencingFailure);
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(2));
  }

  private List<MemberDescription> describeNow() throws Exception {
    List<MemberDescription> members =
        List.copyOf(described().get(WAIT_SECONDS, TimeUnit.SECONDS).members());
    lastDescribed = members;
    return members;
  }

  private KafkaFuture<ConsumerGroupDescription> described() {
    return admin
        .describeConsumerGroups(List.of(applicationId))
        .describedGroups()
        .get(applicationId);
  }

  private static List<MemberDescription> ownedBy(
      String nodeInstanceId, List<MemberDescription> members) {
    return members.stream()
        .filter(m -> m.groupInstanceId().filter(id -> ownedBy(id, nodeInstanceId)).isPresent())
        .toList();
  }

  /**
   * With exactly_once_v2 each stream thread has one producer, its transactional id {@code
   * <application.id>-<process id>-<thread index>}; the thread's consumer is the group member, its
   * client id ending {@code -StreamThread-<thread index>-consumer}.
   */
  static Optional<String> transactionalId(
      String applicationId, String processId, String memberClientId) {
    Matcher thread = STREAM_THREAD_CONSUMER.matcher(memberClientId);
    return processId.isBlank() || !thread.find()
        ? Optional.empty()
        : Optional.of(applicationId + "-" + processId + "-" + thread.group(1));
  }

  /** Kafka Streams names each stream thread's member {@code <group.instance.id>-<n>}. */
  private static boolean ownedBy(String memberInstanceId, String nodeInstanceId) {
    return !nodeInstanceId.isBlank()
        && (memberInstanceId.equals(nodeInstanceId)
            || memberInstanceId.startsWith(nodeInstanceId + "-"));
  }
}
