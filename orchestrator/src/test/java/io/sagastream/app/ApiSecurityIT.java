package io.sagastream.app;

import static io.sagastream.app.RunningNode.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.web.router.Router;
import io.sagastream.app.security.ApiAccess;
import io.sagastream.app.security.ApiAccessRule;
import io.sagastream.app.security.PasswordHashes;
import io.sagastream.contracts.v1.SagaCancellationRequested;
import io.sagastream.contracts.v1.SagaEvent;
import io.sagastream.contracts.v1.SagaStarted;
import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.serde.AvroDeserializer;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import io.sagastream.topology.TopologyNames;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API with security on, through two running nodes of one group on a real broker and
 * registry: who gets in (bearer JWTs signed with the shared secret, HTTP basic users), what each
 * role may do, that calls passed on between nodes keep the caller, that the journal names the
 * caller, and the hardening of what the API reads. Every call goes to the first node; keys owned by
 * the second are passed on to it.
 */
@RealInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiSecurityIT {

  private static final String SECRET = "a-shared-test-secret-of-more-than-32-bytes";
  private static final String ISSUER = "https://idp.example.test";
  private static final String NODE_TOKEN = "node-token-shared-by-the-group";
  private static final String HOLD_DEFINITION =
      """
      {"name": "hold",
       "data": {"schema": {"type": "record", "name": "Held", "namespace": "sec",
                           "fields": [{"name": "id", "type": "string"}]}},
       "steps": [{"name": "wait", "action": {"topic": "%sheld.commands",
                  "schema": {"type": "record", "name": "Wait", "namespace": "sec",
                             "fields": [{"name": "id", "type": "string"}]}}}]}""";

  private final String prefix = "sec" + UUID.randomUUID().toString().substring(0, 6) + ".";
  private KafkaCluster kafka;
  private SchemaRegistryServer registry;
  private RunningNode first;
  private RunningNode second;
  private HttpServer jwks;
  private RSAKey trustedKey;

  @BeforeAll
  void start(
      KafkaCluster kafka,
      SchemaRegistryServer registry,
      @TempDir Path firstState,
      @TempDir Path secondState) {
    this.kafka = kafka;
    this.registry = registry;
    kafka.createTopic(prefix + "held.commands", 2, 1, Map.of());
    jwks = identityProviderKeys();
    Map<String, Object> settings = new HashMap<>();
    settings.put("sagastream.security.enabled", true);
    settings.put("sagastream.security.jwt.secret", SECRET);
    settings.put("sagastream.security.jwt.issuer", ISSUER);
    settings.put(
        "sagastream.security.jwt.jwks-url",
        "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks");
    settings.put(
        "sagastream.security.users",
        "basil:"
            + PasswordHashes.bcrypt("basil-password".toCharArray())
            + ":operator\nvera:"
            + PasswordHashes.pbkdf2(
                "vera-password".toCharArray(),
                "salt-of-vera".getBytes(StandardCharsets.UTF_8),
                120_000)
            + ":viewer");
    settings.put("sagastream.security.anonymous-metrics", false);
    settings.put("sagastream.security.node-token", NODE_TOKEN);
    settings.put("sagastream.max-definition-size", 4096);
    // Both join at once, so the group's first assignment gives each node a partition.
    CompletableFuture<RunningNode> startingSecond =
        CompletableFuture.supplyAsync(
            () -> RunningNode.start(kafka, registry, prefix, secondState, settings));
    first = RunningNode.start(kafka, registry, prefix, firstState, settings);
    second = startingSecond.join();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> answerers().containsAll(Set.of(first.address(), second.address())));
    HttpResponse<String> deployed =
        first.post("/definitions", HOLD_DEFINITION.formatted(prefix), bearer("ada", "admin"));
    assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
  }

  @AfterAll
  void stop() {
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
    if (jwks != null) {
      jwks.stop(0);
    }
  }

  /** An identity provider's JWKS endpoint, publishing the public half of {@link #trustedKey}. */
  private HttpServer identityProviderKeys() {
    try {
      trustedKey = new RSAKeyGenerator(2048).keyID("idp-key-1").generate();
      byte[] body =
          new JWKSet(trustedKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/jwks",
          exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      server.start();
      return server;
    } catch (IOException | JOSEException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aCallWithoutCredentialsIsRefusedWith401AndToldHowToAuthenticate() {
    // when reading and starting without credentials
    HttpResponse<String> read = first.get("/sagas/anyone");
    HttpResponse<String> start = first.post("/sagas", startBody("no-credentials"));

    // then both are refused, and the answer offers bearer and basic
    assertThat(read.statusCode()).isEqualTo(401);
    assertThat(start.statusCode()).isEqualTo(401);
    assertThat(read.headers().allValues("WWW-Authenticate").toString())
        .contains("Bearer")
        .contains("Basic");
    assertThat(json(read).path("message").asText()).contains("authentication required");
  }

  @Test
  void aTokenSignedWithAnotherSecretIsRefusedWith401() {
    // given a well-formed token with every role, signed with a secret the node does not know
    String forged =
        token("mallory", List.of("admin"), Instant.now().plusSeconds(600), ISSUER, SECRET + "-not");

    // when
    HttpResponse<String> read = first.get("/definitions", authorization(forged));
    HttpResponse<String> deploy =
        first.post("/definitions", HOLD_DEFINITION.formatted(prefix), authorization(forged));

    // then
    assertThat(read.statusCode()).isEqualTo(401);
    assertThat(deploy.statusCode()).isEqualTo(401);
  }

  @Test
  void aTokenSignedWithAKeyFromTheJwksUrlIsAcceptedAndOneWithAnotherKeyIsNot() throws Exception {
    // given tokens signed with the identity provider's key, and with a key of the same id that
    // the provider never published
    RSAKey impostor = new RSAKeyGenerator(2048).keyID(trustedKey.getKeyID()).generate();
    String trusted = rsaToken("rita", "viewer", trustedKey);
    String forged = rsaToken("rita", "viewer", impostor);

    // when
    HttpResponse<String> withTrusted = first.get("/definitions", authorization(trusted));
    HttpResponse<String> withForged = first.get("/definitions", authorization(forged));

    // then
    assertThat(withTrusted.statusCode()).as(withTrusted.body()).isEqualTo(200);
    assertThat(withForged.statusCode()).isEqualTo(401);
  }

  @Test
  void anExpiredTokenIsRefusedWith401() {
    // given a token signed with the right secret that expired a minute ago
    String expired =
        token("olga", List.of("admin"), Instant.now().minusSeconds(60), ISSUER, SECRET);

    // when
    HttpResponse<String> read = first.get("/definitions", authorization(expired));

    // then
    assertThat(read.statusCode()).isEqualTo(401);
  }

  @Test
  void aTokenWithoutAnExpiryOrNotValidYetIsRefusedWith401() throws JOSEException {
    // given tokens signed with the right secret: one that never expires, one valid from an hour on
    JWTClaimsSet.Builder admin =
        new JWTClaimsSet.Builder().subject("olga").issuer(ISSUER).claim("roles", List.of("admin"));
    String forEver = signed(admin.build());
    String notYet =
        signed(
            admin
                .notBeforeTime(Date.from(Instant.now().plusSeconds(3600)))
                .expirationTime(Date.from(Instant.now().plusSeconds(7200)))
                .build());

    // when
    HttpResponse<String> withForEver = first.get("/definitions", authorization(forEver));
    HttpResponse<String> withNotYet = first.get("/definitions", authorization(notYet));

    // then
    assertThat(withForEver.statusCode()).isEqualTo(401);
    assertThat(withNotYet.statusCode()).isEqualTo(401);
  }

  @Test
  void aTokenFromAnotherIssuerIsRefusedWith401() {
    // given a token signed with the right secret but issued for another issuer
    String foreign =
        token(
            "olga",
            List.of("admin"),
            Instant.now().plusSeconds(600),
            "https://other-idp.example.test",
            SECRET);

    // when
    HttpResponse<String> read = first.get("/definitions", authorization(foreign));

    // then
    assertThat(read.statusCode()).isEqualTo(401);
  }

  @Test
  void aViewerMayReadButIsRefused403WhenCancellingStartingOrDeploying() {
    // given a running saga
    String key = "viewer-1";
    assertThat(first.post("/sagas", startBody(key), bearer("olga", "operator")).statusCode())
        .isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                first.get("/sagas/" + key + "/hold", bearer("vic", "viewer")).statusCode() == 200);

    // when a viewer reads, cancels, starts and deploys
    HttpResponse<String> read = first.get("/definitions/hold", bearer("vic", "viewer"));
    HttpResponse<String> cancel =
        first.post("/sagas/" + key + "/hold/cancel", "", bearer("vic", "viewer"));
    HttpResponse<String> start =
        first.post("/sagas", startBody("viewer-2"), bearer("vic", "viewer"));
    HttpResponse<String> deploy =
        first.post("/definitions", HOLD_DEFINITION.formatted(prefix), bearer("vic", "viewer"));

    // then the read is answered, the rest refused with the role each needs
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(cancel.statusCode()).isEqualTo(403);
    assertThat(json(cancel).path("message").asText()).contains("vic", "operator");
    assertThat(start.statusCode()).isEqualTo(403);
    assertThat(deploy.statusCode()).isEqualTo(403);
    assertThat(json(deploy).path("message").asText()).contains("admin");
    assertThat(
            json(first.get("/sagas/" + key + "/hold", bearer("vic", "viewer")))
                .path("status")
                .asText())
        .isEqualTo("RUNNING");
  }

  @Test
  void anOperatorMayStartAndCancelButNotDeploy() {
    // when an operator starts a saga, cancels it and deploys
    HttpResponse<String> start =
        first.post("/sagas", startBody("operator-1"), bearer("olga", "operator"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                first.get("/sagas/operator-1/hold", bearer("olga", "operator")).statusCode()
                    == 200);
    HttpResponse<String> cancel =
        first.post("/sagas/operator-1/hold/cancel", "", bearer("olga", "operator"));
    HttpResponse<String> deploy =
        first.post("/definitions", HOLD_DEFINITION.formatted(prefix), bearer("olga", "operator"));

    // then
    assertThat(start.statusCode()).as(start.body()).isEqualTo(202);
    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
    assertThat(deploy.statusCode()).isEqualTo(403);
  }

  @Test
  void aChangingCallSentByAPageFromAnotherSiteIsRefusedEvenWithGoodCredentials() {
    // given an operator's credentials, held by the browser
    Map<String, String> namingTheSite = new HashMap<>(bearer("olga", "operator"));
    namingTheSite.put("Origin", "https://evil.example");
    Map<String, String> sayingCrossSite = new HashMap<>(bearer("olga", "operator"));
    sayingCrossSite.put("Sec-Fetch-Site", "cross-site");

    // when pages from another site make the browser start sagas
    HttpResponse<String> named = first.post("/sagas", startBody("cross-site-1"), namingTheSite);
    HttpResponse<String> said = first.post("/sagas", startBody("cross-site-2"), sayingCrossSite);

    // then both are refused before anything is written (on loopback Micronaut's own guard against
    // pages calling localhost answers the first; elsewhere this node's check does)
    assertThat(named.statusCode()).isEqualTo(403);
    assertThat(said.statusCode()).isEqualTo(403);
    assertThat(json(said).path("message").asText()).contains("another site");
  }

  @Test
  void anAdminsDeployIsRecordedWithTheAdminsName() {
    // given the deploy in start(), by "ada"

    // when
    JsonNode definition = json(first.get("/definitions/hold", bearer("vic", "viewer")));

    // then
    assertThat(definition.path("deployedBy").asText()).isEqualTo("ada");
  }

  @Test
  void aConfiguredBasicUserGetsInWithItsRolesAndAWrongPasswordDoesNot() {
    // when the bcrypt operator starts, the PBKDF2 viewer reads and cancels, and wrong ones try
    HttpResponse<String> operatorStarts =
        first.post("/sagas", startBody("basic-1"), basic("basil", "basil-password"));
    HttpResponse<String> viewerReads = first.get("/definitions", basic("vera", "vera-password"));
    HttpResponse<String> viewerCancels =
        first.post("/sagas/basic-1/hold/cancel", "", basic("vera", "vera-password"));
    HttpResponse<String> wrongPassword =
        first.get("/definitions", basic("basil", "not-basils-password"));
    HttpResponse<String> unknownUser = first.get("/definitions", basic("nobody", "basil-password"));

    // then
    assertThat(operatorStarts.statusCode()).as(operatorStarts.body()).isEqualTo(202);
    assertThat(viewerReads.statusCode()).isEqualTo(200);
    assertThat(viewerCancels.statusCode()).isEqualTo(403);
    assertThat(wrongPassword.statusCode()).isEqualTo(401);
    assertThat(unknownUser.statusCode()).isEqualTo(401);
  }

  @Test
  void aCancelPassedOnToTheOwningNodeIsJournaledWithTheCallersName() {
    // given a saga started by olga on a key the second node owns
    String key = keyOwnedBy(second.address());
    assertThat(first.post("/sagas", startBody(key), bearer("olga", "operator")).statusCode())
        .isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                first.get("/sagas/" + key + "/hold", bearer("vic", "viewer")).statusCode() == 200);

    // when carol cancels it through the first node, which passes the call on
    HttpResponse<String> cancel =
        first.post("/sagas/" + key + "/hold/cancel", "", bearer("carol", "operator"));

    // then the owner accepted carol's call, and the journal names who started and who cancelled
    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
    List<SagaEvent> journal = journal(key, SagaCancellationRequested.class);
    assertThat(journal)
        .extracting(SagaEvent::getEvent)
        .anySatisfy(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        SagaStarted.class, s -> assertThat(s.getStartedBy()).isEqualTo("olga")))
        .anySatisfy(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        SagaCancellationRequested.class,
                        c -> assertThat(c.getRequestedBy()).isEqualTo("carol")));
  }

  @Test
  void aListAsksEveryNodeWithTheCallersCredentials() {
    // given sagas on keys of both nodes
    String onSecond = keyOwnedBy(second.address());
    String onFirst = keyOwnedBy(first.address());
    for (String key : List.of(onFirst, onSecond)) {
      assertThat(first.post("/sagas", startBody(key), bearer("olga", "operator")).statusCode())
          .isEqualTo(202);
    }

    // when a viewer lists through the first node
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                keys(first.get("/sagas?definition=hold&limit=500", bearer("vic", "viewer")))
                    .containsAll(List.of(onFirst, onSecond)));
    JsonNode list = json(first.get("/sagas?definition=hold&limit=500", bearer("vic", "viewer")));

    // then the second node answered the first's question with the viewer's credentials
    assertThat(list.path("unanswered")).isEmpty();
  }

  @Test
  void healthAnswersAnyoneAndMetricsOnlyAViewerAsConfigured() {
    assertThat(first.get("/health").statusCode()).isEqualTo(200);
    assertThat(first.get("/health/readiness").statusCode()).isEqualTo(200);
    assertThat(first.get("/prometheus").statusCode()).isEqualTo(401);
    assertThat(first.get("/prometheus", bearer("vic", "viewer")).statusCode()).isEqualTo(200);
  }

  @Test
  void nodesSelfAnswersPeersThatShowTheNodeTokenAndViewers() {
    assertThat(first.get("/nodes/self").statusCode()).isEqualTo(401);
    assertThat(
            first
                .get("/nodes/self", Map.of(ApiAccessRule.NODE_TOKEN_HEADER, "a-guess"))
                .statusCode())
        .isEqualTo(401);
    assertThat(
            first
                .get("/nodes/self", Map.of(ApiAccessRule.NODE_TOKEN_HEADER, NODE_TOKEN))
                .statusCode())
        .isEqualTo(200);
    assertThat(first.get("/nodes/self", bearer("vic", "viewer")).statusCode()).isEqualTo(200);
  }

  @Test
  void everyRouteOfTheApiIsOpenToSomeoneAndOtherManagementEndpointsToNobody() {
    // given every route the node serves, by whether Sagastream or Micronaut declares it
    Map<Boolean, List<String>> routes =
        first
            .context()
            .getBean(Router.class)
            .uriRoutes()
            .collect(
                java.util.stream.Collectors.partitioningBy(
                    r ->
                        r.getTargetMethod()
                            .getDeclaringType()
                            .getName()
                            .startsWith("io.sagastream."),
                    java.util.stream.Collectors.mapping(
                        r -> r.getHttpMethodName() + " " + r.getUriMatchTemplate(),
                        java.util.stream.Collectors.toList())));

    // then each API route is open to someone: none was added without deciding who may call it
    assertThat(routes.get(true))
        .contains("POST /definitions", "POST /sagas/{key}/{definition}/cancel");
    assertThat(routes.get(true))
        .allSatisfy(
            route -> assertThat(access(route)).as(route).isNotInstanceOf(ApiAccess.Nobody.class));
    // and Micronaut's endpoints other than health and metrics (beans, routes, threaddump, ...) are
    // closed, and stay closed to a viewer too
    assertThat(routes.get(false)).contains("GET /beans", "GET /threaddump");
    assertThat(routes.get(false))
        .filteredOn(route -> !route.matches("(GET|HEAD) /(health|prometheus).*"))
        .allSatisfy(
            route -> assertThat(access(route)).as(route).isInstanceOf(ApiAccess.Nobody.class));
    assertThat(first.get("/beans", bearer("ada", "admin")).statusCode()).isEqualTo(403);
  }

  private static ApiAccess.Need access(String route) {
    String[] parts = route.split(" ", 2);
    return ApiAccess.of(parts[0], parts[1]);
  }

  @Test
  void aBodyWithADuplicateKeyIsRefused400NamingTheKey() {
    // when
    HttpResponse<String> response =
        first.post(
            "/sagas",
            "{\"definition\": \"hold\", \"key\": \"dup-1\", \"key\": \"dup-2\", \"data\": {\"id\": \"d\"}}",
            bearer("olga", "operator"));

    // then
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).path("message").asText()).contains("Duplicate field 'key'");
  }

  @Test
  void aBodyNestedTooDeeplyIsRefused400NamingTheLimit() {
    // given data nested far deeper than any saga data
    String nested = "[".repeat(200) + "]".repeat(200);

    // when
    HttpResponse<String> response =
        first.post(
            "/sagas",
            "{\"definition\": \"hold\", \"key\": \"deep\", \"data\": {\"id\": " + nested + "}}",
            bearer("olga", "operator"));

    // then
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).path("message").asText()).contains("nesting depth");
  }

  @Test
  void aBodyOverTheRequestSizeLimitIsRefused413() {
    // given a body of 2 MiB, twice micronaut.server.max-request-size
    String huge =
        "{\"definition\": \"hold\", \"key\": \"huge\", \"data\": {\"id\": \""
            + "x".repeat(2 * 1024 * 1024)
            + "\"}}";

    // when
    HttpResponse<String> response = first.post("/sagas", huge, bearer("olga", "operator"));

    // then
    assertThat(response.statusCode()).isEqualTo(413);
  }

  @Test
  void aDefinitionOverItsSizeLimitIsRefused413NamingTheSetting() {
    // given a definition document of 5000 bytes where 4096 are allowed
    String padded = HOLD_DEFINITION.formatted(prefix);
    padded = padded + " ".repeat(5000 - padded.length());

    // when
    HttpResponse<String> response = first.post("/definitions", padded, bearer("ada", "admin"));

    // then
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(json(response).path("message").asText())
        .contains("5000", "4096", "sagastream.max-definition-size");
  }

  private static String startBody(String key) {
    return "{\"definition\": \"hold\", \"key\": \"%s\", \"data\": {\"id\": \"%s\"}}"
        .formatted(key, key);
  }

  private static Map<String, String> bearer(String subject, String role) {
    return authorization(
        token(subject, List.of(role), Instant.now().plusSeconds(600), ISSUER, SECRET));
  }

  private static Map<String, String> authorization(String token) {
    return Map.of("Authorization", "Bearer " + token);
  }

  private static Map<String, String> basic(String user, String password) {
    return Map.of(
        "Authorization",
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  /** A JWT as an identity provider would issue it, signed with HMAC-SHA-256. */
  private static String token(
      String subject, List<String> roles, Instant expires, String issuer, String secret) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader(JWSAlgorithm.HS256),
              new JWTClaimsSet.Builder()
                  .subject(subject)
                  .issuer(issuer)
                  .claim("roles", roles)
                  .issueTime(Date.from(expires.minusSeconds(900)))
                  .expirationTime(Date.from(expires))
                  .build());
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
  }

  private static String signed(JWTClaimsSet claims) throws JOSEException {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  private static String rsaToken(String subject, String role, RSAKey key) throws JOSEException {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
            new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer(ISSUER)
                .claim("roles", List.of(role))
                .expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  /** The nodes that answered for a handful of keys, through the first node. */
  private Set<String> answerers() {
    Set<String> answerers = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> response = first.get("/sagas/probe-" + i, bearer("vic", "viewer"));
      if (response.statusCode() == 200) {
        response.headers().firstValue(Forwarder.ANSWERED_BY).ifPresent(answerers::add);
      }
    }
    return answerers;
  }

  /** A fresh key that the node at {@code address} owns. */
  private String keyOwnedBy(String address) {
    for (int i = 0; i < 200; i++) {
      String key = "owned-" + UUID.randomUUID().toString().substring(0, 8);
      HttpResponse<String> response = first.get("/sagas/" + key, bearer("vic", "viewer"));
      if (response.headers().firstValue(Forwarder.ANSWERED_BY).orElse("").equals(address)) {
        return key;
      }
    }
    throw new AssertionError("no key owned by " + address);
  }

  private static List<String> keys(HttpResponse<String> list) {
    List<String> keys = new ArrayList<>();
    json(list).path("sagas").forEach(saga -> keys.add(saga.path("key").asText()));
    return keys;
  }

  /** The journal events on {@code key}, read until one of type {@code until} is among them. */
  private List<SagaEvent> journal(String key, Class<?> until) {
    List<SagaEvent> events = new ArrayList<>();
    AvroDeserializer<SagaEvent> deserializer =
        AvroDeserializer.specific(
            new RestSchemaRegistry(RegistryClientConfig.of(registry.url())), SagaEvent.class);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                "bootstrap.servers",
                kafka.bootstrapServers(),
                "group.id",
                "journal-" + UUID.randomUUID(),
                "auto.offset.reset",
                "earliest",
                "isolation.level",
                "read_committed"),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(prefix + TopologyNames.EVENTS_TOPIC));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (events.stream().noneMatch(e -> until.isInstance(e.getEvent()))
          && System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          if (key.equals(record.key())) {
            events.add(deserializer.deserialize(record.topic(), record.value()));
          }
        }
      }
    }
    return events;
  }
}
