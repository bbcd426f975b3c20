package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.sagastream.app.security.PasswordHashes;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security configured the way operators configure it: environment variables of the packaged node
 * ({@code java -jar}), including the ones that reach Micronaut Security through placeholders, and
 * what the node says about it in its log.
 */
@RealInfrastructure
class PackagedNodeSecurityIT {

  private static final String SECRET = "packaged-node-secret-of-48-bytes-0123456789abcde";
  private final String prefix = "pks" + UUID.randomUUID().toString().substring(0, 6) + ".";
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void securityComesFromEnvironmentVariablesAndNoSecretReachesTheLog(
      KafkaCluster kafka, SchemaRegistryServer registry, @TempDir Path work) throws Exception {
    // given users in a variable and in a file, and tokens with HS384 and their roles in "groups"
    String inlineHash = PasswordHashes.bcrypt("inline-password".toCharArray());
    String fileHash = PasswordHashes.bcrypt("file-password".toCharArray());
    Path users = work.resolve("users");
    Files.writeString(users, "# from a mounted secret\nfiona:" + fileHash + ":viewer\n");
    try (PackagedNode node =
        PackagedNode.of(
            kafka,
            registry,
            prefix,
            "secured",
            work,
            Map.of(
                "SAGASTREAM_SECURITY_ENABLED",
                "true",
                "SAGASTREAM_SECURITY_USERS",
                "ivan:" + inlineHash + ":admin",
                "SAGASTREAM_SECURITY_USER_FILE",
                users.toString(),
                "SAGASTREAM_SECURITY_JWT_SECRET",
                SECRET,
                "SAGASTREAM_SECURITY_JWT_ALGORITHM",
                "HS384",
                "SAGASTREAM_SECURITY_JWT_ROLES_CLAIM",
                "groups"))) {
      node.start().awaitReady();

      // when
      int anonymous = get(node, "/definitions", Map.of());
      int inlineUser = get(node, "/definitions", basic("ivan", "inline-password"));
      int fileUser = get(node, "/definitions", basic("fiona", "file-password"));
      int withGroups = get(node, "/definitions", bearer("groups", List.of("viewer")));
      int withRolesClaim = get(node, "/definitions", bearer("roles", List.of("viewer")));

      // then
      assertThat(anonymous).isEqualTo(401);
      assertThat(inlineUser).isEqualTo(200);
      assertThat(fileUser).isEqualTo(200);
      assertThat(withGroups).isEqualTo(200);
      assertThat(withRolesClaim)
          .as("roles in a claim other than the configured one")
          .isEqualTo(403);
      String log = node.log();
      assertThat(log)
          .contains("HTTP API security is on")
          .contains("HS384")
          .contains("2 configured users")
          .doesNotContain(SECRET)
          .doesNotContain(inlineHash)
          .doesNotContain(fileHash)
          .doesNotContain("SECURITY IS OFF");
    }
  }

  @Test
  void aNodeWithSecurityTurnedOffSaysSoLoudlyAndAnswersAnyone(
      KafkaCluster kafka, SchemaRegistryServer registry, @TempDir Path work) throws Exception {
    // given a node started with SAGASTREAM_SECURITY_ENABLED=false (PackagedNode's default)
    try (PackagedNode node = PackagedNode.of(kafka, registry, prefix, "open", work, Map.of())) {
      node.start().awaitReady();

      // then it answers without credentials, and its log says so at WARN
      assertThat(get(node, "/definitions", Map.of())).isEqualTo(200);
      assertThat(node.log()).containsPattern("WARN .*SECURITY IS OFF");
    }
  }

  private int get(PackagedNode node, String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://" + node.address() + path))
            .timeout(Duration.ofSeconds(10));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static Map<String, String> basic(String user, String password) {
    return Map.of(
        "Authorization",
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  private static Map<String, String> bearer(String rolesClaim, List<String> roles)
      throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.HS384),
            new JWTClaimsSet.Builder()
                .subject("gina")
                .claim(rolesClaim, roles)
                .expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .build());
    jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    return Map.of("Authorization", "Bearer " + jwt.serialize());
  }
}
