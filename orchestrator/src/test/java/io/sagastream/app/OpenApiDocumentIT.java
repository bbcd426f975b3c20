package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.micronaut.http.HttpMethod;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document a running node serves, held against the routes the node really has: a route
 * added without documentation, or documentation of a route that does not exist, fails here.
 */
@RealInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentIT {

  /** The package of the service's own controllers. */
  private static final String APP_PACKAGE = "io.sagastream.app";

  /** Operations of the framework's management endpoints (health, metrics) carry this tag. */
  private static final String MANAGEMENT_TAG = "management";

  private static final Set<String> OPERATION_KEYS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final String prefix = "oas" + UUID.randomUUID().toString().substring(0, 6) + ".";
  private RunningNode node;

  @BeforeAll
  void startNode(KafkaCluster kafka, SchemaRegistryServer registry, @TempDir Path state) {
    node = RunningNode.start(kafka, registry, prefix, state);
  }

  @AfterAll
  void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void theDocumentDescribesExactlyTheRoutesOfTheServicesControllers() {
    // given the document the node serves, and the routes of the service's own controllers
    JsonNode document = servedDocument();
    Set<String> served = appRoutes();

    // when the document's operations (the management endpoints apart) are listed
    Set<String> documented = operations(document, false);

    // then each route is documented, and each documented operation is a route, but for the
    // routes being built on main
    SoftAssertions.assertSoftly(
        softly -> {
          softly
              .assertThat(difference(served, documented))
              .as("routes the node serves that the document does not describe")
              .isEmpty();
          softly
              .assertThat(difference(documented, served))
              .as("operations the document describes that the node does not serve")
              .isEmpty();
        });
  }

  @Test
  void theDocumentedManagementEndpointsAreServedByTheFramework() {
    // given the document's management operations
    Set<String> management = operations(servedDocument(), true);
    Router router = node.context().getBean(Router.class);

    // when each is looked up in the node's router
    List<String> unserved = new ArrayList<>();
    for (String operation : management) {
      String[] methodAndPath = operation.split(" ", 2);
      boolean found =
          router
              .find(HttpMethod.parse(methodAndPath[0]), methodAndPath[1], null)
              .anyMatch(
                  match ->
                      !match
                          .getRouteInfo()
                          .getDeclaringType()
                          .getPackageName()
                          .startsWith(APP_PACKAGE));

      if (!found) {
        unserved.add(operation);
      }
    }

    // then every one is a management route of the node
    assertThat(unserved).as("documented management operations the node does not serve").isEmpty();
    assertThat(management).contains("GET /health", "GET /prometheus");
  }

  @Test
  void everyOperationDocumentsHowItFails() {
    // given the document
    JsonNode document = servedDocument();

    // when the responses of each operation are read
    List<String> without4xx = new ArrayList<>();
    List<String> withoutFailure = new ArrayList<>();
    forEachOperation(
        document,
        (operation, spec) -> {
          List<String> statuses = new ArrayList<>();
          spec.path("responses").fieldNames().forEachRemaining(statuses::add);
          if (isManagement(spec)) {
            // The framework's endpoints answer no 4xx: health says 503 when down.
            if (statuses.stream().allMatch(s -> s.startsWith("2"))) {
              withoutFailure.add(operation);
            }
          } else if (statuses.stream().noneMatch(s -> s.startsWith("4"))) {
            without4xx.add(operation);
          }
        });

    // then each of the service's operations names a 4xx, and each management one its failure
    assertThat(without4xx).as("operations that document no 4xx response").isEmpty();
    assertThat(withoutFailure).as("management operations that document no failure").isEmpty();
  }

  @Test
  void everyReferenceInTheDocumentResolves() {
    // given the document
    JsonNode document = servedDocument();

    // when every $ref in it is collected
    List<String> references = new ArrayList<>();
    collectReferences(document, references);

    // then each points into the document, at something that is there
    Set<String> unresolved =
        references.stream()
            .filter(
                reference ->
                    !reference.startsWith("#/")
                        || document.at(JsonPointer.compile(reference.substring(1))).isMissingNode())
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(references).isNotEmpty();
    assertThat(unresolved).as("references that do not resolve within the document").isEmpty();
  }

  @Test
  void theDocumentIsOpenApi30AndServedAsYamlAndAsTheSameJson() {
    // when both forms are fetched
    HttpResponse<String> yaml = node.get("/openapi.yml");
    HttpResponse<String> json = node.get("/openapi.json");

    // then they are the same OpenAPI 3.0 document, each with its media type
    assertThat(yaml.statusCode()).isEqualTo(200);
    assertThat(yaml.headers().firstValue("Content-Type")).hasValue("application/yaml");
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(read(JSON, json.body())).isEqualTo(read(YAML, yaml.body()));
    assertThat(read(YAML, yaml.body()).path("openapi").asText()).startsWith("3.0.");
  }

  /** The routes of the service's controllers, as "METHOD /template". */
  private Set<String> appRoutes() {
    Set<String> routes =
        node.context()
            .getBean(Router.class)
            .uriRoutes()
            .filter(route -> route.getDeclaringType().getPackageName().equals(APP_PACKAGE))
            .map(OpenApiDocumentIT::operation)
            .collect(Collectors.toCollection(TreeSet::new));
    // The framework adds a HEAD route to every GET route; the document describes the GET.
    routes.removeIf(
        route -> route.startsWith("HEAD ") && routes.contains("GET " + route.substring(5)));
    return routes;
  }

  private static String operation(UriRouteInfo<?, ?> route) {
    String template =
        route
            .getUriMatchTemplate()
            .toString()
            .replaceAll("\\{[?&][^}]*}", "") // query parameters are not part of the path
            .replaceAll("\\{([^}:]+):[^}]*}", "{$1}"); // nor are the variables' patterns
    return route.getHttpMethodName() + " " + template;
  }

  /** The document's operations, as "METHOD /path": the management ones, or all the others. */
  private static Set<String> operations(JsonNode document, boolean management) {
    Set<String> operations = new TreeSet<>();
    forEachOperation(
        document,
        (operation, spec) -> {
          if (isManagement(spec) == management) {
            operations.add(operation);
          }
        });
    return operations;
  }

  private static void forEachOperation(
      JsonNode document, java.util.function.BiConsumer<String, JsonNode> action) {
    for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
      for (Map.Entry<String, JsonNode> item : path.getValue().properties()) {
        if (OPERATION_KEYS.contains(item.getKey())) {
          action.accept(item.getKey().toUpperCase() + " " + path.getKey(), item.getValue());
        }
      }
    }
  }

  private static boolean isManagement(JsonNode operation) {
    for (JsonNode tag : operation.path("tags")) {
      if (tag.asText().equals(MANAGEMENT_TAG)) {
        return true;
      }
    }
    return false;
  }

  private static void collectReferences(JsonNode node, List<String> references) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (field.getKey().equals("$ref")) {
          references.add(field.getValue().asText());
        } else {
          collectReferences(field.getValue(), references);
        }
      }
    } else if (node.isArray()) {
      node.forEach(element -> collectReferences(element, references));
    }
  }

  private JsonNode servedDocument() {
    HttpResponse<String> response = node.get("/openapi.yml");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return read(YAML, response.body());
  }

  private static JsonNode read(ObjectMapper mapper, String text) {
    try {
      return mapper.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("Not readable: " + text, e);
    }
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> difference = new TreeSet<>(a);
    difference.removeAll(b);
    return difference;
  }
}
