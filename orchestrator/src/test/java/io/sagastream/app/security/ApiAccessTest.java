package io.sagastream.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiAccessTest {

  @Test
  void everyReadOfTheApiNeedsAViewer() {
    for (String route :
        List.of(
            "/definitions",
            "/definitions/{name}",
            "/definitions/{name}/{version}",
            "/sagas",
            "/sagas/{key}",
            "/sagas/{key}/{definition}",
            "/nodes",
            "/overview",
            "/openapi.yml")) {
      assertThat(ApiAccess.of("GET", route))
          .as(route)
          .isEqualTo(new ApiAccess.NeedsRole(Role.VIEWER));
    }
  }

  @Test
  void changingSagasNeedsAnOperatorAndDeployingAnAdmin() {
    assertThat(ApiAccess.of("POST", "/sagas")).isEqualTo(new ApiAccess.NeedsRole(Role.OPERATOR));
    assertThat(ApiAccess.of("POST", "/messages")).isEqualTo(new ApiAccess.NeedsRole(Role.OPERATOR));
    for (String action : List.of("cancel", "retry", "skip")) {
      assertThat(ApiAccess.of("POST", "/sagas/{key}/{definition}/" + action))
          .isEqualTo(new ApiAccess.NeedsRole(Role.OPERATOR));
    }
    assertThat(ApiAccess.of("POST", "/definitions")).isEqualTo(new ApiAccess.NeedsRole(Role.ADMIN));
  }

  @Test
  void probesScrapesAndPeersHaveTheirOwnDecisions() {
    assertThat(ApiAccess.of("GET", "/health")).isInstanceOf(ApiAccess.Health.class);
    assertThat(ApiAccess.of("GET", "/health{/selector}")).isInstanceOf(ApiAccess.Health.class);
    assertThat(ApiAccess.of("GET", "/health/readiness")).isInstanceOf(ApiAccess.Health.class);
    assertThat(ApiAccess.of("GET", "/prometheus")).isInstanceOf(ApiAccess.Metrics.class);
    assertThat(ApiAccess.of("GET", "/nodes/self")).isInstanceOf(ApiAccess.NodeSelf.class);
  }

  @Test
  void theConsolesPageAndFilesAreOpenToAnyoneButCannotBeWritten() {
    // The files hold no data; the page calls the API with the user's own credentials.
    assertThat(ApiAccess.of("GET", "/console")).isInstanceOf(ApiAccess.ConsoleAsset.class);
    assertThat(ApiAccess.of("GET", "/console/{file}")).isInstanceOf(ApiAccess.ConsoleAsset.class);
    assertThat(ApiAccess.of("HEAD", "/console/{file}")).isInstanceOf(ApiAccess.ConsoleAsset.class);
    assertThat(ApiAccess.of("POST", "/console/{file}")).isInstanceOf(ApiAccess.Nobody.class);
    assertThat(ApiAccess.of("GET", "/consoles")).isInstanceOf(ApiAccess.Nobody.class);
  }

  @Test
  void managementEndpointsBeyondHealthAndMetricsAreOpenToNobody() {
    for (String route : List.of("/beans", "/routes", "/threaddump", "/metrics", "/info", "/env")) {
      assertThat(ApiAccess.of("GET", route)).as(route).isInstanceOf(ApiAccess.Nobody.class);
    }
    assertThat(ApiAccess.of("POST", "/refresh")).isInstanceOf(ApiAccess.Nobody.class);
  }

  @Test
  void aWriteNobodyDecidedOnIsOpenToNobody() {
    assertThat(ApiAccess.of("DELETE", "/sagas/{key}/{definition}"))
        .isInstanceOf(ApiAccess.Nobody.class);
    assertThat(ApiAccess.of("POST", "/health")).isInstanceOf(ApiAccess.Nobody.class);
    assertThat(ApiAccess.of("PUT", "/definitions")).isInstanceOf(ApiAccess.Nobody.class);
  }

  @Test
  void aQueryPartOfATemplateDoesNotChangeTheDecision() {
    assertThat(ApiAccess.of("POST", "/sagas{?wait}"))
        .isEqualTo(new ApiAccess.NeedsRole(Role.OPERATOR));
  }

  @Test
  void theOpenApiDocumentNamesTheRoleEachOperationNeeds() throws Exception {
    // given the served OpenAPI document
    JsonNode paths;
    try (InputStream in = getClass().getResourceAsStream("/openapi/sagastream.yml")) {
      paths = new ObjectMapper(new YAMLFactory()).readTree(in).path("paths");
    }

    // then each operation's x-sagastream-role is the role this table asks for
    List<String> checked = new ArrayList<>();
    paths
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fields()
                    .forEachRemaining(
                        operation -> {
                          JsonNode role = operation.getValue().get("x-sagastream-role");
                          if (role != null) {
                            assertThat(ApiAccess.of(operation.getKey(), path.getKey()))
                                .as(operation.getKey() + " " + path.getKey())
                                .isEqualTo(
                                    new ApiAccess.NeedsRole(Role.of(role.asText()).orElseThrow()));
                            checked.add(operation.getKey() + " " + path.getKey());
                          }
                        }));
    assertThat(checked).hasSize(ApiAccess.routes().size());
  }

  @Test
  void eachRoleImpliesTheOnesBelowIt() {
    assertThat(Role.effective(List.of("admin")))
        .containsExactly(Role.VIEWER, Role.OPERATOR, Role.ADMIN);
    assertThat(Role.effective(List.of("operator"))).containsExactly(Role.VIEWER, Role.OPERATOR);
    assertThat(Role.effective(List.of("viewer"))).containsExactly(Role.VIEWER);
    assertThat(Role.effective(List.of("Admin", "root", ""))).isEmpty();
  }
}
