package io.sagastream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every file under deploy/ parses, strictly, and every kustomization names files that exist: this
 * much holds without kustomize. The overlays are then rendered by the real one.
 */
class ManifestFilesTest {

  /** The fields a kustomization here may use; kustomize itself rejects unknown ones too. */
  private static final Set<String> KUSTOMIZATION_FIELDS =
      Set.of(
          "apiVersion",
          "kind",
          "namespace",
          "labels",
          "resources",
          "components",
          "images",
          "replicas",
          "patches",
          "configMapGenerator",
          "secretGenerator");

  static Stream<Path> manifests() {
    return files()
        .filter(f -> f.getFileName().toString().matches(".*\\.ya?ml"))
        .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"));
  }

  static Stream<Path> kustomizations() {
    return files().filter(f -> f.getFileName().toString().equals("kustomization.yaml"));
  }

  private static Stream<Path> files() {
    try (Stream<Path> walk = Files.walk(RepositoryFiles.path("deploy"))) {
      return walk.filter(Files::isRegularFile).sorted().toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest
  @MethodSource("manifests")
  void shouldParseEveryManifestWithTheTypedKubernetesModel(Path file) {
    // given a manifest or a patch
    // when
    List<HasMetadata> objects = KubernetesYaml.read(file);

    // then every document is a known kind with only fields the model knows, and a name
    assertThat(objects).isNotEmpty();
    assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getName()).isNotBlank());
  }

  @Test
  void shouldRejectAMisspeltField() {
    // given a StatefulSet with terminationGracePeriod where terminationGracePeriodSeconds belongs
    String yaml =
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: sagastream
        spec:
          template:
            spec:
              terminationGracePeriod: 60
        """;

    // when
    // then
    assertThatThrownBy(() -> KubernetesYaml.read(yaml, "misspelt"))
        .hasMessageContaining("terminationGracePeriod");
  }

  @Test
  void shouldRejectAKeyGivenTwice() {
    // given
    String yaml =
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: twice
        data:
          SAGASTREAM_PARTITIONS: "6"
          SAGASTREAM_PARTITIONS: "12"
        """;

    // when
    // then
    assertThatThrownBy(() -> KubernetesYaml.read(yaml, "twice"))
        .hasMessageContaining("SAGASTREAM_PARTITIONS");
  }

  @ParameterizedTest
  @MethodSource("kustomizations")
  void shouldNameOnlyFilesThatExistAndParse(Path kustomization) throws IOException {
    // given
    JsonNode document = KubernetesYaml.YAML.readTree(kustomization.toFile());
    Path directory = kustomization.getParent();

    // when
    List<Path> missing = new ArrayList<>();
    List<Path> named = new ArrayList<>();
    for (String field : List.of("resources", "components")) {
      document.path(field).forEach(entry -> named.add(directory.resolve(entry.asText())));
    }
    document
        .path("patches")
        .forEach(
            p -> {
              if (p.has("path")) {
                named.add(directory.resolve(p.path("path").asText()));
              } else {
                // an inline patch: a JSON patch names its target, and has operations
                assertThat(p.path("target").path("kind").asText()).isNotBlank();
                assertThat(p.path("patch").asText()).isNotBlank();
              }
            });
    for (String generator : List.of("configMapGenerator", "secretGenerator")) {
      document
          .path(generator)
          .forEach(
              g ->
                  g.path("files")
                      .forEach(
                          f -> {
                            String source = f.asText().replaceFirst("^[^=]*=", "");
                            named.add(directory.resolve(source));
                          }));
    }
    named.stream().filter(p -> !Files.exists(p)).forEach(missing::add);

    // then every path exists: a directory is itself a kustomization, a YAML file parses strictly,
    // a JSON file parses
    document.fieldNames().forEachRemaining(f -> assertThat(KUSTOMIZATION_FIELDS).contains(f));
    assertThat(missing).isEmpty();
    for (Path path : named) {
      String file = path.getFileName().toString();
      if (Files.isDirectory(path)) {
        assertThat(path.resolve("kustomization.yaml")).exists();
      } else if (file.matches(".*\\.ya?ml")) {
        assertThat(KubernetesYaml.read(path)).isNotEmpty();
      } else if (file.endsWith(".json")) {
        assertThat(KubernetesYaml.YAML.readTree(path.toFile()).isObject()).isTrue();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
  void shouldRenderWithKustomize(String kustomization) {
    // given
    // when
    List<HasMetadata> objects = Kustomize.render(kustomization);

    // then the output is made of objects the typed model reads, each once
    assertThat(objects).isNotEmpty();
    assertThat(objects)
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .doesNotHaveDuplicates();
  }
}
