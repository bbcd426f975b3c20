package io.sagastream.app;

import io.sagastream.testing.SecuredKafkaCluster;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;

/**
 * The orchestrator and a worker on a cluster that takes SASL OAUTHBEARER over TLS: each logs in
 * with a token whose subject is its own name, and the ACLs name that subject, {@code User:<name>}.
 * The tokens are Kafka's unsecured test tokens, made by the client itself; a deployment names its
 * identity provider instead (see the README), through the same settings.
 */
class SecuredKafkaOAuthBearerIT extends SecuredKafkaContract {

  @Override
  SecuredKafkaCluster startCluster(Path directory) {
    return SecuredKafkaCluster.oauthBearer(directory);
  }

  @Override
  Map<String, Object> credentials(String user) {
    return cluster.oauthBearerUser(user);
  }

  /** A token without the scope the broker requires. */
  @Override
  Map<String, Object> wrongCredentials(String user) {
    return cluster.unscopedOAuthBearerUser(user);
  }

  @Override
  Class<? extends AuthenticationException> refusedLogin() {
    return SaslAuthenticationException.class;
  }

  /** The login configuration, which in a deployment holds the identity provider's client secret. */
  @Override
  String secretOf(Map<String, Object> credentials) {
    return String.valueOf(credentials.get("sasl.jaas.config"));
  }
}
