package io.sagastream.app;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.sagastream.contracts.v1.DeployedDefinition;
import io.sagastream.contracts.v1.StepDefinition;
import io.sagastream.definition.DefinitionDeployer;
import io.sagastream.definition.DefinitionDocuments;
import io.sagastream.definition.DefinitionRecords;
import io.sagastream.definition.DefinitionSpec;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.topology.SagaTopics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Deploys saga definitions and shows what is deployed. */
@Controller("/definitions")
class DefinitionsController {

  private final DeployedDefinitions deployed;
  private final DefinitionDeployer deployer;
  private final DefinitionRecords records;
  private final RequestWriter writer;
  private final int maxDefinitionSize;
  private final OwnerForwarding owners;
  private final Object deploying = new Object();

  /** The version this node gave out last for each name, guarded by {@link #deploying}. */
  private final Map<String, Integer> lastGivenOut = new HashMap<>();

  DefinitionsController(
      DeployedDefinitions deployed,
      SchemaRegistry registry,
      SagaTopics topics,
      OrchestratorSettings settings,
      RequestWriter writer,
      OwnerForwarding owners) {
    this.deployed = deployed;
    this.owners = owners;
    this.writer = writer;
    this.maxDefinitionSize = settings.getMaxDefinitionSize();
    this.deployer = new DefinitionDeployer(registry);
    this.records = new DefinitionRecords(registry, topics.definitions());
  }

  /** Checks the document against the registry and deploys it as the definition's next version. */
  @Post
  @Consumes({MediaType.APPLICATION_JSON, "application/yaml", MediaType.TEXT_PLAIN})
  HttpResponse<?> deploy(@Body String document, HttpRequest<?> request) {
    int size = document.getBytes(StandardCharsets.UTF_8).length;
    if (size > maxDefinitionSize) {
      return HttpResponse.<Map<String, Object>>status(HttpStatus.REQUEST_ENTITY_TOO_LARGE)
          .body(
              ApiErrors.body(
                  "the definition document has "
                      + size
                      + " bytes; at most "
                      + maxDefinitionSize
                      + " are accepted (sagastream.max-definition-size)",
                  null));
    }
    DefinitionSpec spec = DefinitionDocuments.parse(document);
    // Every deploy of a name goes to one node, the owner of the name as a key, which takes them
    // one at a time: two nodes deploying one name at once both read the same latest version, and
    // the second record of that number silently replaced the first (tasks that had read the first
    // kept running it). A node that cannot reach the owner deploys itself, as before.
    Optional<HttpResponse<?>> forwarded =
        owners.passOn(
            spec.name(),
            request,
            document,
            OwnerForwarding.Resend.HERE_IF_SILENT,
            OwnerForwarding.ANSWER_TIMEOUT,
            bodyType(request));
    if (forwarded.isPresent()) {
      return forwarded.get();
    }
    int version;
    boolean visible;
    // One deploy at a time on a node: two at once read the same latest version and wrote the same
    // next one, the second document silently replacing the first. Deploys are rare and short.
    synchronized (deploying) {
      // The store may not show this node's last deploy yet (its wait below gives up after 15 s):
      // the number this node gave out last is taken into account too.
      int latest =
          Math.max(
              deployed.latest(spec.name()).map(DeployedDefinition::getVersion).orElse(0),
              lastGivenOut.getOrDefault(spec.name(), 0));
      version = latest + 1;
      DeployedDefinition definition =
          deployer.prepare(spec, version, document, Callers.name(request), Instant.now());
      // Before the write: one that times out may still land, and its number must not be reused.
      lastGivenOut.put(spec.name(), version);
      writer.write(records.record(definition));
      visible = awaitInStore(spec.name(), version);
    }
    if (!visible) {
      // Written, so it will be deployed; but this node cannot show it yet, and says so.
      return owners.answered(
          HttpResponse.<Map<String, Object>>status(HttpStatus.ACCEPTED)
              .body(
                  Map.of(
                      "name",
                      spec.name(),
                      "version",
                      version,
                      "message",
                      "written to the definitions topic, but this node's store did not show it within"
                          + " 15 s; it starts sagas once the nodes have read it")));
    }
    return owners.answered(
        HttpResponse.<Map<String, Object>>status(HttpStatus.CREATED)
            .body(Map.of("name", spec.name(), "version", version)));
  }

  /** The type of the deploy's body, which the owner needs to read a YAML document as YAML. */
  private static Map<String, String> bodyType(HttpRequest<?> request) {
    return request
        .getContentType()
        .map(type -> Map.of(HttpHeaders.CONTENT_TYPE, type.toString()))
        .orElse(Map.of());
  }

  @Get
  List<Map<String, Object>> list() {
    return deployed.all().stream()
        .sorted(
            Comparator.comparing(DeployedDefinition::getName)
                .thenComparing(DeployedDefinition::getVersion))
        .map(DefinitionsController::summary)
        .toList();
  }

  @Get("/{name}")
  HttpResponse<Map<String, Object>> latest(String name) {
    return deployed
        .latest(name)
        .map(d -> HttpResponse.ok(detail(d)))
        .orElseThrow(() -> new NotFoundException("no definition named '" + name + "' is deployed"));
  }

  @Get("/{name}/{version}")
  HttpResponse<Map<String, Object>> version(String name, int version) {
    return deployed
        .version(name, version)
        .map(d -> HttpResponse.ok(detail(d)))
        .orElseThrow(
            () ->
                new NotFoundException(
                    "definition '" + name + "' has no version " + version + " deployed"));
  }

  /**
   * Waits (briefly) until this node's global store holds the new version, so that what this node
   * answers next, and the version the next deploy gets, already include it; whether it does.
   */
  private boolean awaitInStore(String name, int version) {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
    while (deployed.version(name, version).isEmpty()) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return deployed.version(name, version).isPresent();
      }
    }
    return true;
  }

  private static Map<String, Object> summary(DeployedDefinition definition) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("name", definition.getName());
    summary.put("version", definition.getVersion());
    summary.put("deployedAt", definition.getDeployedAt().toString());
    summary.put("deployedBy", definition.getDeployedBy());
    summary.put("steps", definition.getSteps().stream().map(s -> s.getName()).toList());
    return summary;
  }

  private static Map<String, Object> detail(DeployedDefinition definition) {
    Map<String, Object> detail = summary(definition);
    detail.put("plan", definition.getSteps().stream().map(DefinitionsController::plan).toList());
    detail.put("document", definition.getDocument());
    return detail;
  }

  /**
   * A step as the deploy checked it, with its defaults filled in: what a reader (the console's
   * diagram) would otherwise have to work out from the document, in JSON or YAML.
   */
  private static Map<String, Object> plan(StepDefinition step) {
    Map<String, Object> plan = new LinkedHashMap<>();
    plan.put("name", step.getName());
    plan.put("kind", step.getKind().name().toLowerCase(Locale.ROOT));
    switch (step.getKind()) {
      case ACTION -> {
        plan.put("topic", step.getAction().getTopic());
        plan.put(
            "compensationTopic",
            step.getCompensation() == null ? null : step.getCompensation().getTopic());
        plan.put("timeout", duration(step.getTimeoutMillis()));
        plan.put("maxAttempts", step.getRetry().getMaxAttempts());
      }
      case RECEIVE -> {
        plan.put("message", step.getReceive().getMessageName());
        plan.put("timeout", duration(step.getReceive().getTimeoutMillis()));
        plan.put("onTimeout", step.getReceive().getOnTimeout().name().toLowerCase(Locale.ROOT));
      }
      case PARALLEL ->
          plan.put(
              "branches", step.getBranches().stream().map(DefinitionsController::plan).toList());
    }
    return plan;
  }

  private static String duration(Long millis) {
    return millis == null ? null : java.time.Duration.ofMillis(millis).toString();
  }
}
