package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.sagastream.app.security.PasswordHashes;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose only callers are HTTP basic users: no secret or key to check bearer tokens with, so
 * none may get in, least of all an unsigned one that names its own roles.
 */
@RealInfrastructure
class BasicUsersOnlySecurityIT {

  private final String prefix = "bas" + UUID.randomUUID().toString().substring(0, 6) + ".";

  @Test
  void anUnsignedTokenClaimingAdminIsRefusedWhileABasicUserGetsIn(
      KafkaCluster kafka, SchemaRegistryServer registry, @TempDir Path state) {
    // given a node with security on and one basic user, and no way to check tokens
    Map<String, Object> settings =
        Map.of(
            "sagastream.security.enabled",
            true,
            "sagastream.security.users",
            "basil:" + PasswordHashes.bcrypt("basil-password".toCharArray()) + ":viewer");
    try (RunningNode node = RunningNode.start(kafka, registry, prefix, state, settings)) {
      // and a token with no signature (alg none) that says its holder is an admin
      String unsigned =
          new PlainJWT(
                  new JWTClaimsSet.Builder()
                      .subject("mallory")
                      .claim("roles", List.of("admin"))
                      .expirationTime(Date.from(Instant.now().plusSeconds(600)))
                      .build())
              .serialize();
      Map<String, String> bearer = Map.of("Authorization", "Bearer " + unsigned);

      // when it reads and deploys, and the basic user reads
      HttpResponse<String> read = node.get("/definitions", bearer);
      HttpResponse<String> deploy = node.post("/definitions", "{\"name\": \"x\"}", bearer);
      HttpResponse<String> basic =
          node.get(
              "/definitions",
              Map.of(
                  "Authorization",
                  "Basic "
                      + Base64.getEncoder()
                          .encodeToString(
                              "basil:basil-password".getBytes(StandardCharsets.UTF_8))));

      // then the token gets nowhere, and the user gets in
      assertThat(read.statusCode()).isEqualTo(401);
      assertThat(deploy.statusCode()).isEqualTo(401);
      assertThat(basic.statusCode()).as(basic.body()).isEqualTo(200);
    }
  }
}
