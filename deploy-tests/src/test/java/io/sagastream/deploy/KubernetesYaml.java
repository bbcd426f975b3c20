package io.sagastream.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads Kubernetes manifests into fabric8's typed model, strictly: a field the model does not know
 * (a misspelt one, or one at the wrong level) fails, as does a key given twice. fabric8's classes
 * keep unknown fields in an "additional properties" map by default; this reader turns that off.
 */
final class KubernetesYaml {

  /** The kinds Sagastream's manifests use, by apiVersion and kind. */
  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.of(
          "v1/ConfigMap",
          ConfigMap.class,
          "v1/Secret",
          Secret.class,
          "v1/Service",
          Service.class,
          "v1/Namespace",
          Namespace.class,
          "apps/v1/StatefulSet",
          StatefulSet.class,
          "apps/v1/Deployment",
          Deployment.class,
          "batch/v1/Job",
          Job.class,
          "policy/v1/PodDisruptionBudget",
          PodDisruptionBudget.class,
          NetworkPolicy.API_VERSION + "/" + NetworkPolicy.KIND,
          NetworkPolicy.class);

  /** Plain YAML, for kustomization files and anything that is not a Kubernetes object. */
  static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private static final ObjectMapper STRICT =
      new ObjectMapper(new YAMLFactory())
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .setAnnotationIntrospector(new WithoutAnySetter());

  private KubernetesYaml() {}

  /** Every object in {@code file}, which may hold several documents. */
  static List<HasMetadata> read(Path file) {
    return read(RepositoryFiles.read(file), RepositoryFiles.relative(file));
  }

  /** Every object in {@code yaml}; {@code source} names it in errors. */
  static List<HasMetadata> read(String yaml, String source) {
    List<HasMetadata> objects = new ArrayList<>();
    try (var documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      int index = 0;
      while (documents.hasNext()) {
        JsonNode document = (JsonNode) documents.next();
        index++;
        if (document == null || document.isNull() || document.isMissingNode()) {
          continue;
        }
        objects.add(object(document, source + " document " + index));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read YAML from " + source, e);
    }
    return objects;
  }

  private static HasMetadata object(JsonNode document, String where) {
    String type = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
    Class<? extends HasMetadata> kind = KINDS.get(type);
    if (kind == null) {
      throw new IllegalArgumentException(
          where + ": no typed model for " + type + "; known are " + KINDS.keySet());
    }
    try {
      ObjectReader reader = STRICT.readerFor(kind);
      return reader.readValue(STRICT.treeAsTokens(document));
    } catch (IOException e) {
      throw new IllegalArgumentException(where + " is not a valid " + type + ": " + e, e);
    }
  }

  /** Ignores {@code @JsonAnySetter}, so that unknown properties fail instead of being kept. */
  private static final class WithoutAnySetter extends JacksonAnnotationIntrospector {

    private static final long serialVersionUID = 1L;

    @Override
    public Boolean hasAnySetter(Annotated annotated) {
      return Boolean.FALSE;
    }
  }
}
