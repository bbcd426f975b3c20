package io.sagastream.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;

/**
 * One embedded Kafka node whose client listener is secured and whose authorizer allows nothing
 * without an ACL, for tests of how the orchestrator and the workers reach such a cluster:
 *
 * <ul>
 *   <li>{@link #saslSsl}: SASL over TLS. Applications log in with SCRAM-SHA-512 users that {@link
 *       #scramUser} creates; the super user (and the broker itself) with PLAIN.
 *   <li>{@link #oauthBearer}: SASL OAUTHBEARER over TLS, with Kafka's built-in <em>unsecured</em>
 *       tokens (unsigned JWTs a client makes itself, for tests only): a client is the principal its
 *       token's {@code sub} claim names, {@code User:<name>}, and the broker takes only tokens
 *       whose scope holds {@value #OAUTH_SCOPE}. {@link #oauthBearerUser} gives a client's
 *       settings. The super user (and the broker itself) log in with PLAIN.
 *   <li>{@link #mutualTls}: TLS with client certificates required. A client is the principal its
 *       certificate's subject names, {@code User:CN=<name>}; {@link #certificateUser} issues one.
 * </ul>
 *
 * <p>Certificates come from a {@link TestCertificateAuthority} made for this cluster and are
 * written under the given directory. Every listener binds to 127.0.0.1 only; the broker's
 * certificate names {@code localhost} and {@code 127.0.0.1}, the addresses clients reach it at.
 */
public final class SecuredKafkaCluster implements KafkaCluster {

  /** The test kit's name of the listener clients use; configs for it are prefixed with it. */
  private static final String LISTENER = "listener.name.external.";

  private static final String SUPER_USER = "admin";
  private static final String BROKER = "broker";
  private static final String PLAIN_LOGIN =
      "org.apache.kafka.common.security.plain.PlainLoginModule";
  private static final String SCRAM_LOGIN =
      "org.apache.kafka.common.security.scram.ScramLoginModule";
  private static final String OAUTH_LOGIN =
      "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule";

  /** The scope the OAUTHBEARER broker requires of every token. */
  public static final String OAUTH_SCOPE = "sagastream";

  /** How clients authenticate on the client listener. */
  private enum Mode {
    SCRAM,
    OAUTHBEARER,
    MUTUAL_TLS
  }

  /**
   * The controller listener stays PLAINTEXT, where the broker registers and heartbeats as {@code
   * User:ANONYMOUS}; that principal is a super user so the authorizer lets it. Clients never learn
   * that listener's port (metadata names only the client listener), and the client listener never
   * yields ANONYMOUS: it requires SASL or a certificate.
   */
  private static final String CONTROLLER_PRINCIPAL = "User:ANONYMOUS";

  private final EmbeddedKafkaCluster cluster;
  private final Mode mode;
  private final Path directory;
  private final TestCertificateAuthority authority;
  private final Path trustStore;
  private final Map<String, Object> superUser;

  private SecuredKafkaCluster(
      EmbeddedKafkaCluster cluster,
      Mode mode,
      Path directory,
      TestCertificateAuthority authority,
      Path trustStore,
      Map<String, Object> superUser) {
    this.cluster = cluster;
    this.mode = mode;
    this.directory = directory;
    this.authority = authority;
    this.trustStore = trustStore;
    this.superUser = Map.copyOf(superUser);
  }

  /** A node whose client listener is SASL_SSL: PLAIN and SCRAM-SHA-512 over TLS. */
  public static SecuredKafkaCluster saslSsl(Path directory) {
    return startSaslSsl(directory, Mode.SCRAM);
  }

  /**
   * A node whose client listener is SASL_SSL with OAUTHBEARER for clients (Kafka's unsecured-token
   * validator, requiring scope {@value #OAUTH_SCOPE}) and PLAIN for the super user and the broker.
   */
  public static SecuredKafkaCluster oauthBearer(Path directory) {
    return startSaslSsl(directory, Mode.OAUTHBEARER);
  }

  private static SecuredKafkaCluster startSaslSsl(Path directory, Mode mode) {
    TestCertificateAuthority authority = TestCertificateAuthority.create("Sagastream test CA");
    Path trustStore = authority.writeTrustStore(directory.resolve("ca.p12"));
    String adminPassword = UUID.randomUUID().toString();
    Map<String, Object> broker = commonBrokerConfig(directory, authority, trustStore, "SASL_SSL");
    if (mode == Mode.OAUTHBEARER) {
      broker.put(LISTENER + "sasl.enabled.mechanisms", "PLAIN,OAUTHBEARER");
      // With no sasl.server.callback.handler.class, the broker validates OAUTHBEARER tokens with
      // Kafka's OAuthBearerUnsecuredValidatorCallbackHandler, configured by these JAAS options;
      // the broker's own (unused) login token is an unsecured one too.
      broker.put(
          LISTENER + "oauthbearer.sasl.jaas.config",
          OAUTH_LOGIN
              + " required unsecuredLoginStringClaim_sub=\""
              + BROKER
              + "\" unsecuredValidatorRequiredScope=\""
              + OAUTH_SCOPE
              + "\";");
    } else {
      broker.put(LISTENER + "sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512");
      broker.put(LISTENER + "scram-sha-512.sasl.jaas.config", SCRAM_LOGIN + " required;");
    }
    broker.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
    // The broker's own JAAS login for its listener, not the JVM-wide java.security.auth.login
    // .config: the test JVM's other clients stay untouched. The broker logs in to itself as the
    // super user (transaction markers go through its own listener).
    broker.put(
        LISTENER + "plain.sasl.jaas.config",
        PLAIN_LOGIN
            + " required"
            + jaasCredentials(SUPER_USER, adminPassword)
            + " user_"
            + SUPER_USER
            + "=\""
            + adminPassword
            + "\";");
    broker.put("super.users", "User:" + SUPER_USER + ";" + CONTROLLER_PRINCIPAL);
    Map<String, Object> superUser = new HashMap<>();
    superUser.putAll(trustSettings(trustStore, authority));
    superUser.putAll(saslSettings("PLAIN", PLAIN_LOGIN, SUPER_USER, adminPassword));
    EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(1, 1, true, broker);
    return new SecuredKafkaCluster(cluster, mode, directory, authority, trustStore, superUser);
  }

  /** A node whose client listener is SSL with client certificates required. */
  public static SecuredKafkaCluster mutualTls(Path directory) {
    TestCertificateAuthority authority = TestCertificateAuthority.create("Sagastream test CA");
    Path trustStore = authority.writeTrustStore(directory.resolve("ca.p12"));
    Map<String, Object> broker = commonBrokerConfig(directory, authority, trustStore, "SSL");
    broker.put(LISTENER + "ssl.client.auth", "required");
    // The broker reaches its own listener with its own certificate (transaction markers).
    broker.put(
        "super.users", "User:CN=" + SUPER_USER + ";User:CN=" + BROKER + ";" + CONTROLLER_PRINCIPAL);
    EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(1, 1, true, broker);
    SecuredKafkaCluster secured =
        new SecuredKafkaCluster(
            cluster, Mode.MUTUAL_TLS, directory, authority, trustStore, Map.of());
    return new SecuredKafkaCluster(
        cluster,
        Mode.MUTUAL_TLS,
        directory,
        authority,
        trustStore,
        secured.certificateUser(SUPER_USER));
  }

  private static Map<String, Object> commonBrokerConfig(
      Path directory, TestCertificateAuthority authority, Path trustStore, String protocol) {
    Path keyStore =
        authority.writeKeyStore(
            directory.resolve("broker.p12"),
            "CN=" + BROKER,
            List.of("localhost"),
            List.of("127.0.0.1"));
    Map<String, Object> broker = new HashMap<>();
    // The test kit only knows PLAINTEXT and SASL_PLAINTEXT; its listener names are mapped here.
    broker.put("listener.security.protocol.map", "EXTERNAL:" + protocol + ",CONTROLLER:PLAINTEXT");
    broker.put(LISTENER + "ssl.keystore.location", keyStore.toString());
    broker.put(LISTENER + "ssl.keystore.password", authority.password());
    broker.put(LISTENER + "ssl.key.password", authority.password());
    broker.put(LISTENER + "ssl.keystore.type", "PKCS12");
    broker.put(LISTENER + "ssl.truststore.location", trustStore.toString());
    broker.put(LISTENER + "ssl.truststore.password", authority.password());
    broker.put(LISTENER + "ssl.truststore.type", "PKCS12");
    broker.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    broker.put("allow.everyone.if.no.acl.found", "false");
    return broker;
  }

  /**
   * Creates (or changes the password of) a SCRAM-SHA-512 user and returns the client settings it
   * logs in with: {@code security.protocol}, {@code sasl.*} and the trust store.
   */
  public Map<String, Object> scramUser(String name, String password) {
    require(Mode.SCRAM, "SCRAM users are for the SASL_SSL cluster");
    try (Admin admin = admin()) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      name, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
          .all()
          .get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot create SCRAM user " + name + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating SCRAM user " + name, e);
    }
    return scramSettings(name, password);
  }

  /** The client settings of SCRAM user {@code name} with {@code password}, right or wrong. */
  public Map<String, Object> scramSettings(String name, String password) {
    require(Mode.SCRAM, "SCRAM users are for the SASL_SSL cluster");
    Map<String, Object> settings = new HashMap<>(trustSettings(trustStore, authority));
    settings.putAll(saslSettings("SCRAM-SHA-512", SCRAM_LOGIN, name, password));
    return settings;
  }

  /**
   * The client settings of an OAUTHBEARER client that is {@code User:<name>}: an unsecured token
   * with {@code sub} {@code name} and the scope the broker requires, made by the client itself
   * (Kafka's OAuthBearerUnsecuredLoginCallbackHandler, the default with no login callback handler
   * set). A real deployment instead names an identity provider's token endpoint.
   */
  public Map<String, Object> oauthBearerUser(String name) {
    return oauthBearerSettings(name, OAUTH_SCOPE);
  }

  /** Settings for an OAUTHBEARER token of {@code name} without the required scope: refused. */
  public Map<String, Object> unscopedOAuthBearerUser(String name) {
    return oauthBearerSettings(name, "something-else");
  }

  private Map<String, Object> oauthBearerSettings(String name, String scope) {
    require(Mode.OAUTHBEARER, "OAUTHBEARER users are for the OAUTHBEARER cluster");
    Map<String, Object> settings = new HashMap<>(trustSettings(trustStore, authority));
    settings.put("security.protocol", "SASL_SSL");
    settings.put("sasl.mechanism", "OAUTHBEARER");
    // A list claim's value starts with its own separator.
    settings.put(
        "sasl.jaas.config",
        OAUTH_LOGIN
            + " required unsecuredLoginStringClaim_sub=\""
            + name
            + "\" unsecuredLoginListClaim_scope=\",openid,"
            + scope
            + "\";");
    return settings;
  }

  /**
   * Issues a client certificate with subject {@code CN=<name>} from this cluster's authority and
   * returns the client settings that present it: {@code security.protocol}, key and trust store.
   */
  public Map<String, Object> certificateUser(String name) {
    return certificateSettings(authority, name, name);
  }

  /**
   * Client settings that present a certificate for {@code CN=<name>} from another authority, which
   * the broker does not trust; the client still trusts the broker.
   */
  public Map<String, Object> untrustedCertificateUser(String name) {
    return certificateSettings(
        TestCertificateAuthority.create("Unknown CA"), name, "untrusted-" + name);
  }

  private Map<String, Object> certificateSettings(
      TestCertificateAuthority issuer, String name, String file) {
    require(Mode.MUTUAL_TLS, "Client certificates are for the mutual TLS cluster");
    Path keyStore =
        issuer.writeKeyStore(directory.resolve(file + ".p12"), "CN=" + name, List.of(), List.of());
    Map<String, Object> settings = new HashMap<>(trustSettings(trustStore, authority));
    settings.put("security.protocol", "SSL");
    settings.put("ssl.keystore.location", keyStore.toString());
    settings.put("ssl.keystore.password", issuer.password());
    settings.put("ssl.key.password", issuer.password());
    settings.put("ssl.keystore.type", "PKCS12");
    return settings;
  }

  /**
   * The principal ACLs name for user {@code name}: its SCRAM name or token subject, or its
   * certificate's subject.
   */
  public String principal(String name) {
    return mode == Mode.MUTUAL_TLS ? "User:CN=" + name : "User:" + name;
  }

  /** Grants {@code acls}, as the super user. */
  public void allow(List<AclBinding> acls) {
    try (Admin admin = admin()) {
      admin.createAcls(acls).all().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot create ACLs: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating ACLs", e);
    }
  }

  /** Takes {@code acls} back, as the super user. */
  public void revoke(List<AclBinding> acls) {
    try (Admin admin = admin()) {
      admin
          .deleteAcls(acls.stream().map(AclBinding::toFilter).toList())
          .all()
          .get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot delete ACLs: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while deleting ACLs", e);
    }
  }

  /** The super user's client settings, for checks a test makes behind the application's back. */
  public Map<String, Object> superUser() {
    return superUser;
  }

  @Override
  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  @Override
  public int brokerCount() {
    return cluster.brokerCount();
  }

  @Override
  public String describe() {
    return switch (mode) {
          case SCRAM -> "SASL_SSL";
          case OAUTHBEARER -> "SASL_SSL (OAUTHBEARER, unsecured tokens)";
          case MUTUAL_TLS -> "mutual TLS";
        }
        + " Kafka with ACLs at "
        + cluster.bootstrapServers();
  }

  /** An admin client of the super user. */
  @Override
  public Admin admin() {
    Map<String, Object> config = new HashMap<>(superUser);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return Admin.create(config);
  }

  @Override
  public void close() {
    cluster.close();
  }

  private void require(Mode wanted, String otherwise) {
    if (mode != wanted) {
      throw new IllegalStateException(otherwise);
    }
  }

  private static Map<String, Object> trustSettings(
      Path trustStore, TestCertificateAuthority authority) {
    return Map.of(
        "ssl.truststore.location", trustStore.toString(),
        "ssl.truststore.password", authority.password(),
        "ssl.truststore.type", "PKCS12");
  }

  private static Map<String, Object> saslSettings(
      String mechanism, String loginModule, String user, String password) {
    return Map.of(
        "security.protocol",
        "SASL_SSL",
        "sasl.mechanism",
        mechanism,
        "sasl.jaas.config",
        loginModule + " required" + jaasCredentials(user, password) + ";");
  }

  private static String jaasCredentials(String user, String password) {
    return " username=\"" + user + "\" password=\"" + password + "\"";
  }
}
