package io.sagastream.app;

import io.sagastream.testing.SecuredKafkaCluster;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * The orchestrator and a worker on a cluster that requires client certificates: each presents a
 * certificate of its own, and the ACLs name the principal its subject gives, {@code
 * User:CN=<name>}.
 */
class SecuredKafkaMutualTlsIT extends SecuredKafkaContract {

  @Override
  SecuredKafkaCluster startCluster(Path directory) {
    return SecuredKafkaCluster.mutualTls(directory);
  }

  @Override
  Map<String, Object> credentials(String user) {
    return cluster.certificateUser(user);
  }

  @Override
  Map<String, Object> wrongCredentials(String user) {
    return cluster.untrustedCertificateUser(user);
  }

  @Override
  Class<? extends AuthenticationException> refusedLogin() {
    return SslAuthenticationException.class;
  }

  @Override
  String secretOf(Map<String, Object> credentials) {
    return String.valueOf(credentials.get("ssl.keystore.password"));
  }
}
