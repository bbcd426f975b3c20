package io.sagastream.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the node learns when Kafka refuses it: a failed login (wrong password, untrusted
 * certificate) or a missing ACL. Kafka Streams reports these as a dying stream thread, which the
 * node replaces; left alone that becomes a silent loop of new threads failing the same way, with a
 * readiness that only says REBALANCING. So each refusal is kept here for the health endpoint,
 * logged once in words that say what to fix, and the thread's replacement waits a little longer
 * each time.
 *
 * <p>Messages carry Kafka's own text (which names the topic, group or transactional id, and the
 * SASL mechanism) and at most the SASL user name or OAuth client id: never a password, a client
 * secret or a JAAS configuration.
 */
public final class KafkaAccess {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaAccess.class);

  /** How long a refusal keeps the node not ready after it was last seen. */
  public static final Duration RECENT = Duration.ofMinutes(1);

  private static final DoublingPause PAUSE =
      new DoublingPause(Duration.ofMillis(500), Duration.ofSeconds(5));
  private static final Pattern USER = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

  /** An OAUTHBEARER client's id at its identity provider, or an unsecured test token's subject. */
  private static final Pattern OAUTH_CLIENT =
      Pattern.compile("(clientId|unsecuredLoginStringClaim_sub)\\s*=\\s*\"([^\"]*)\"");

  private final Clock clock;
  private final String who;
  private Refusal last;

  /** A refusal as the node reports it, with when it was last seen and how often in a row. */
  public record Refusal(String message, Instant lastSeen, int times) {}

  public KafkaAccess(Clock clock, Map<String, ?> clientSettings) {
    this.clock = clock;
    this.who = who(clientSettings);
  }

  /** The authentication or authorization failure in {@code exception}'s causes, if any. */
  public static Optional<KafkaException> refusalIn(Throwable exception) {
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
        return Optional.of((KafkaException) t);
      }
    }
    return Optional.empty();
  }

  /**
   * A message for the log and the health endpoint: who the node is to Kafka and what was refused.
   */
  String describe(KafkaException refusal) {
    String kind = refusal.getClass().getSimpleName();
    if (refusal instanceof AuthenticationException) {
      return "Kafka refused the credentials of "
          + who
          + " ("
          + kind
          + ": "
          + refusal.getMessage()
          + ")"
          + (refusal instanceof SslAuthenticationException
              ? "; the TLS handshake failed: does the broker trust the node's certificate, and the"
                  + " node's trust store the broker's?"
              : "")
          + "; check security.protocol, sasl.* and ssl.* under kafka.streams.default";
    }
    return "Kafka denied "
        + who
        + " access, an ACL is missing ("
        + kind
        + ": "
        + refusal.getMessage()
        + "); grant the ACLs the README lists for the orchestrator";
  }

  /**
   * Notes a refusal Kafka Streams reported: logged at the first time and whenever the message
   * changes, then every tenth time, so that the log says why without filling up.
   */
  public synchronized Refusal record(KafkaException refusal) {
    String message = describe(refusal);
    Instant now = clock.instant();
    boolean again =
        last != null
            && last.message().equals(message)
            && Duration.between(last.lastSeen(), now).compareTo(RECENT) < 0;
    last = new Refusal(message, now, again ? last.times() + 1 : 1);
    if (last.times() == 1 || last.times() % 10 == 0) {
      LOG.error(
          "{} (seen {} time(s) in a row; the node is not ready and tries again)",
          message,
          last.times());
    }
    return last;
  }

  /** How long to wait before a thread that was refused is replaced: 0.5 s doubling, up to 5 s. */
  public static Duration pauseAfter(Refusal refusal) {
    return PAUSE.after(refusal.times());
  }

  /** Forgets the last refusal: Kafka has just let the node in. */
  public synchronized void forget() {
    last = null;
  }

  /** The last refusal, if it was seen within {@link #RECENT}. */
  public synchronized Optional<Refusal> recent() {
    if (last == null || Duration.between(last.lastSeen(), clock.instant()).compareTo(RECENT) >= 0) {
      return Optional.empty();
    }
    return Optional.of(last);
  }

  /**
   * The node as Kafka knows it: its SASL user or OAuth client (the name only), or its client
   * certificate.
   */
  private static String who(Map<String, ?> settings) {
    Object protocol = settings.get("security.protocol");
    Object jaas = settings.get("sasl.jaas.config");
    if (jaas != null) {
      Matcher user = USER.matcher(String.valueOf(jaas));
      // Kafka's default mechanism when none is named.
      Object mechanism =
          settings.get("sasl.mechanism") != null ? settings.get("sasl.mechanism") : "GSSAPI";
      if (user.find()) {
        return "the node (SASL " + mechanism + " user '" + user.group(1) + "')";
      }
      Matcher client = OAUTH_CLIENT.matcher(String.valueOf(jaas));
      if (client.find()) {
        String what = client.group(1).equals("clientId") ? "client" : "token subject";
        return "the node (SASL " + mechanism + " " + what + " '" + client.group(2) + "')";
      }
      return "the node (SASL " + mechanism + ")";
    }
    if (settings.get("ssl.keystore.location") != null) {
      return "the node (the client certificate in " + settings.get("ssl.keystore.location") + ")";
    }
    return protocol == null ? "the node" : "the node (" + protocol + ")";
  }
}
