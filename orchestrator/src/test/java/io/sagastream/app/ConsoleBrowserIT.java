package io.sagastream.app;

import static io.sagastream.app.RunningNode.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sagastream.app.security.PasswordHashes;
import io.sagastream.contracts.SagaHeaders;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import io.sagastream.testing.ScriptedParticipant;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator console in a real browser: the system's headless Chromium, driven by Playwright
 * ({@code src/test/browser/console.spec.mjs}, run with Node.js), against a node with security on,
 * real Kafka and a real registry. The script signs in, looks at every page, retries an incident
 * from the saga's page, and saves a screenshot of each page under {@code
 * target/console-screenshots}. Chromium, Node.js and npm must be installed ({@code .ci/run}
 * installs them); their absence fails the test, it is never skipped.
 */
@RealInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserIT {

  private static final Path BROWSER_TESTS = Path.of("src", "test", "browser");
  private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  private static final String OPERATOR = "olga";
  private static final String OPERATOR_PASSWORD = "olga-password";
  private static final String ADMIN = "ada";
  private static final String ADMIN_PASSWORD = "ada-password";

  private final String prefix = "cons" + UUID.randomUUID().toString().substring(0, 6) + ".";
  private final Set<String> healed = ConcurrentHashMap.newKeySet();
  private RunningNode node;
  private ScriptedParticipant participant;

  @BeforeAll
  void start(KafkaCluster kafka, SchemaRegistryServer registry, @TempDir Path state) {
    kafka.createTopic(prefix + "warehouse.commands", 2, 1, Map.of());
    node =
        RunningNode.start(
            kafka,
            registry,
            prefix,
            state,
            Map.of(
                "sagastream.security.enabled",
                true,
                "sagastream.security.users",
                OPERATOR
                    + ":"
                    + PasswordHashes.bcrypt(OPERATOR_PASSWORD.toCharArray())
                    + ":operator\n"
                    + ADMIN
                    + ":"
                    + PasswordHashes.bcrypt(ADMIN_PASSWORD.toCharArray())
                    + ":admin",
                // The overview's counts come from the recovery scan: often, so the test sees them.
                "sagastream.recovery-interval",
                "PT1S"));
    deploy(orderFulfilment());
    deploy(awaitPayment());
    // Every command succeeds, but for keys starting "stuck-": their shipping fails for good, and
    // so does undoing their reservation, until the test heals them: an incident.
    participant =
        ScriptedParticipant.start(
            kafka,
            prefix + "warehouse",
            List.of(prefix + "warehouse.commands"),
            command -> {
              boolean stuck = command.key().startsWith("stuck-") && !healed.contains(command.key());
              boolean failing =
                  stuck
                      && (command.step().equals("ship")
                          || command.kind().equals(SagaHeaders.KIND_COMPENSATION));
              return Optional.of(
                  failing ? SagaHeaders.OUTCOME_FAILURE : SagaHeaders.OUTCOME_SUCCESS);
            });
  }

  @AfterAll
  void stop() {
    if (participant != null) {
      participant.close();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void anOperatorSeesTheSagasTheirStepsAndDefinitionsAndRetriesAnIncidentFromTheConsole()
      throws Exception {
    // given five sagas that complete, one waiting for a message, and one in an incident whose
    // participant has since been repaired
    for (int i = 1; i <= 5; i++) {
      startSaga("ship-order", "order-" + i);
    }
    startSaga("collect-payment", "pay-1");
    startSaga("ship-order", "stuck-1");
    for (int i = 1; i <= 5; i++) {
      awaitStatus("order-" + i, "ship-order", "COMPLETED");
    }
    awaitStatus("pay-1", "collect-payment", "WAITING");
    awaitStatus("stuck-1", "ship-order", "FAILED");
    healed.add("stuck-1");

    // when an operator goes through the console in a browser, and retries the incident there
    BrowserRun run = runScript();

    // then every check of the script passed, the incident is resolved, and each page was captured
    assertThat(run.exitCode()).as("console.spec.mjs failed:\n" + run.output()).isZero();
    assertThat(status("stuck-1", "ship-order")).isEqualTo("COMPENSATED");
    assertThat(SCREENSHOTS)
        .isDirectoryContaining("glob:**/overview.png")
        .isDirectoryContaining("glob:**/sagas.png")
        .isDirectoryContaining("glob:**/saga-steps.png")
        .isDirectoryContaining("glob:**/incident-confirm.png")
        .isDirectoryContaining("glob:**/incident-resolved.png")
        .isDirectoryContaining("glob:**/definitions.png");
  }

  private record BrowserRun(int exitCode, String output) {}

  private BrowserRun runScript() throws IOException, InterruptedException {
    Path chromium = chromium();
    installPackages();
    Files.createDirectories(SCREENSHOTS);
    Path log = SCREENSHOTS.resolve("console.spec.log");
    // Not inheritIO: the forked test JVM's own stdout is the build tool's channel.
    ProcessBuilder script =
        new ProcessBuilder("node", "console.spec.mjs")
            .directory(BROWSER_TESTS.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    script.environment().put("CONSOLE_URL", "http://" + node.address() + "/console/");
    script.environment().put("CONSOLE_USER", OPERATOR);
    script.environment().put("CONSOLE_PASSWORD", OPERATOR_PASSWORD);
    script.environment().put("CHROMIUM", chromium.toString());
    script.environment().put("SCREENSHOTS", SCREENSHOTS.toAbsolutePath().toString());
    Process process = script.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("console.spec.mjs ran over 5 minutes:\n" + Files.readString(log));
    }
    String output = Files.readString(log);
    System.out.println("console.spec.mjs:\n" + output);
    return new BrowserRun(process.exitValue(), output);
  }

  /** Debian's Chromium, or the one CHROMIUM names: Playwright's own download cannot work here. */
  private static Path chromium() {
    Path chromium =
        Path.of(Optional.ofNullable(System.getenv("CHROMIUM")).orElse("/usr/bin/chromium"));
    if (!Files.isExecutable(chromium)) {
      throw new AssertionError(
          "No Chromium at "
              + chromium
              + ": install Debian's package (apt-get install chromium, as .ci/run does) or set"
              + " CHROMIUM to a Chromium or Chrome executable");
    }
    return chromium;
  }

  /** {@code npm ci} of the pinned playwright-core, when it is missing or older than the lock. */
  private static void installPackages() throws IOException, InterruptedException {
    Path installed = BROWSER_TESTS.resolve("node_modules/.package-lock.json");
    if (Files.exists(installed)
        && Files.getLastModifiedTime(installed)
                .compareTo(Files.getLastModifiedTime(BROWSER_TESTS.resolve("package-lock.json")))
            >= 0) {
      return;
    }
    Path log = Files.createDirectories(SCREENSHOTS).resolve("npm.log");
    Process npm =
        new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
            .directory(BROWSER_TESTS.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
      throw new AssertionError(
          "npm ci failed in " + BROWSER_TESTS.toAbsolutePath() + ":\n" + Files.readString(log));
    }
  }

  private void deploy(String document) {
    HttpResponse<String> deployed = node.post("/definitions", document, as(ADMIN, ADMIN_PASSWORD));
    assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
  }

  private void startSaga(String definition, String key) {
    HttpResponse<String> started =
        node.post(
            "/sagas",
            "{\"definition\": \"%s\", \"key\": \"%s\", \"data\": {\"orderId\": \"%s\"}}"
                .formatted(definition, key, key),
            as(OPERATOR, OPERATOR_PASSWORD));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
  }

  private void awaitStatus(String key, String definition, String status) {
    await().atMost(Duration.ofSeconds(60)).until(() -> status.equals(status(key, definition)));
  }

  private String status(String key, String definition) {
    HttpResponse<String> saga =
        node.get("/sagas/" + key + "/" + definition, as(OPERATOR, OPERATOR_PASSWORD));
    return saga.statusCode() == 200 ? json(saga).path("status").asText() : "";
  }

  private static Map<String, String> as(String user, String password) {
    String credentials = user + ":" + password;
    return Map.of(
        "Authorization",
        "Basic "
            + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
  }

  /** Reserve, then pack and label at once, then ship; reserving and shipping can be undone. */
  private String orderFulfilment() {
    String command =
        """
        {"topic": "%swarehouse.commands",
         "schema": {"type": "record", "name": "%s", "namespace": "warehouse",
                    "fields": [{"name": "orderId", "type": "string"}]}}""";
    return """
        {"name": "ship-order",
         "data": {"schema": {"type": "record", "name": "Order", "namespace": "shop",
                             "fields": [{"name": "orderId", "type": "string"}]}},
         "steps": [
           {"name": "reserve", "action": %s, "compensation": %s},
           {"name": "prepare", "parallel": [
             {"name": "pack", "action": %s},
             {"name": "label", "action": %s}]},
           {"name": "ship", "action": %s, "compensation": %s, "timeout": "PT20S"}]}"""
        .formatted(
            command.formatted(prefix, "Reserve"),
            command.formatted(prefix, "Release"),
            command.formatted(prefix, "Pack"),
            command.formatted(prefix, "Label"),
            command.formatted(prefix, "Ship"),
            command.formatted(prefix, "CancelShipment"));
  }

  private static String awaitPayment() {
    return """
        {"name": "collect-payment",
         "data": {"schema": {"type": "record", "name": "Payment", "namespace": "shop",
                             "fields": [{"name": "orderId", "type": "string"}]}},
         "steps": [{"name": "paid",
                    "receive": {"message": "PaymentCollected", "timeout": "PT1H",
                                "schema": {"type": "record", "name": "PaymentCollected",
                                           "namespace": "payment", "fields": []}}}]}""";
  }
}
