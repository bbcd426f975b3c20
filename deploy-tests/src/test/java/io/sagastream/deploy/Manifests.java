package io.sagastream.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finding objects in a rendered set of manifests, and working out a container's environment. */
final class Manifests {

  /** Kubernetes' dependent environment variable syntax; {@code $$(NAME)} is an escaped one. */
  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  private Manifests() {}

  /** What the downward API tells a pod about itself. */
  record PodFacts(String name, String namespace, Map<String, String> labels) {}

  /** A pod template and the workload that owns it. */
  record OwnedTemplate(HasMetadata owner, PodTemplateSpec template) {
    String describe() {
      return owner.getKind() + " " + owner.getMetadata().getName();
    }
  }

  static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> kind) {
    return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> kind, String name) {
    List<T> found =
        all(objects, kind).stream()
            .filter(object -> name.equals(object.getMetadata().getName()))
            .toList();
    if (found.size() != 1) {
      throw new AssertionError(
          "Expected one " + kind.getSimpleName() + " " + name + ", found " + found.size());
    }
    return found.get(0);
  }

  /** The pod templates of every workload: StatefulSets, Deployments and Jobs. */
  static List<OwnedTemplate> podTemplates(List<HasMetadata> objects) {
    List<OwnedTemplate> templates = new ArrayList<>();
    all(objects, StatefulSet.class)
        .forEach(s -> templates.add(new OwnedTemplate(s, s.getSpec().getTemplate())));
    all(objects, Deployment.class)
        .forEach(d -> templates.add(new OwnedTemplate(d, d.getSpec().getTemplate())));
    all(objects, Job.class)
        .forEach(j -> templates.add(new OwnedTemplate(j, j.getSpec().getTemplate())));
    return templates;
  }

  static Container container(PodTemplateSpec template, String name) {
    return template.getSpec().getContainers().stream()
        .filter(c -> name.equals(c.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("No container " + name));
  }

  /** The labels of a pod made from {@code template} (none when it has no metadata). */
  static Map<String, String> labels(PodTemplateSpec template) {
    return template.getMetadata() == null
        ? Map.of()
        : nullToEmpty(template.getMetadata().getLabels());
  }

  /** Whether {@code selector} selects a pod with {@code labels}. */
  static boolean selects(Map<String, String> selector, Map<String, String> labels) {
    return selector != null
        && !selector.isEmpty()
        && selector.entrySet().stream()
            .allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
  }

  /**
   * The variables a container's process gets, as the kubelet sets them: first every key of the
   * ConfigMaps and Secrets in {@code envFrom}, then each {@code env} entry in order, where {@code
   * $(NAME)} expands a variable defined before it and the downward API answers from {@code pod}.
   */
  static Map<String, String> environment(
      Container container, List<HasMetadata> objects, PodFacts pod) {
    Map<String, String> variables = new LinkedHashMap<>();
    for (EnvFromSource source : nullToEmpty(container.getEnvFrom())) {
      variables.putAll(envFromKeys(source, objects));
    }
    for (EnvVar variable : nullToEmpty(container.getEnv())) {
      variables.put(variable.getName(), value(variable, variables, pod));
    }
    return variables;
  }

  /** The keys an {@code envFrom} source brings (none for a missing optional one). */
  static Map<String, String> envFromKeys(EnvFromSource source, List<HasMetadata> objects) {
    String prefix = source.getPrefix() == null ? "" : source.getPrefix();
    Map<String, String> keys = new LinkedHashMap<>();
    if (source.getConfigMapRef() != null) {
      String name = source.getConfigMapRef().getName();
      all(objects, ConfigMap.class).stream()
          .filter(c -> name.equals(c.getMetadata().getName()))
          .findFirst()
          .ifPresentOrElse(
              c -> nullToEmpty(c.getData()).forEach((k, v) -> keys.put(prefix + k, v)),
              () -> requireOptional(source.getConfigMapRef().getOptional(), "ConfigMap " + name));
    }
    if (source.getSecretRef() != null) {
      String name = source.getSecretRef().getName();
      all(objects, Secret.class).stream()
          .filter(s -> name.equals(s.getMetadata().getName()))
          .findFirst()
          .or(() -> leavesSecretsToTheOperator(objects) ? operatorsSecret(name) : Optional.empty())
          .ifPresentOrElse(
              s -> secretData(s).forEach((k, v) -> keys.put(prefix + k, v)),
              () -> requireOptional(source.getSecretRef().getOptional(), "Secret " + name));
    }
    return keys;
  }

  /** Whether the render applies no Secret at all, as production leaves them to the operator. */
  static boolean leavesSecretsToTheOperator(List<HasMetadata> objects) {
    return all(objects, Secret.class).isEmpty();
  }

  /**
   * A Secret the production overlay leaves to the operator, with the keys of its template in base:
   * what the pods get once the operator has created it.
   */
  static Optional<Secret> operatorsSecret(String name) {
    return OPERATORS_SECRETS.stream()
        .flatMap(
            file ->
                all(KubernetesYaml.read(RepositoryFiles.path("deploy", file)), Secret.class)
                    .stream())
        .filter(secret -> secret.getMetadata().getName().equals(name))
        .findFirst();
  }

  /** The templates of the Secrets an operator creates, in base. */
  static final List<String> OPERATORS_SECRETS =
      List.of("base/kafka-auth-secret.yaml", "base/api-auth-secret.yaml");

  static Map<String, String> secretData(Secret secret) {
    Map<String, String> data = new LinkedHashMap<>();
    nullToEmpty(secret.getData())
        .forEach(
            (k, v) ->
                data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    data.putAll(nullToEmpty(secret.getStringData()));
    return data;
  }

  /**
   * The {@code $(NAME)} references in a container's {@code env} that name no variable defined
   * before them: Kubernetes leaves those as they are, literally.
   */
  static List<String> danglingReferences(Container container, List<HasMetadata> objects) {
    List<String> dangling = new ArrayList<>();
    Map<String, String> defined = new LinkedHashMap<>();
    for (EnvFromSource source : nullToEmpty(container.getEnvFrom())) {
      defined.putAll(envFromKeys(source, objects));
    }
    for (EnvVar variable : nullToEmpty(container.getEnv())) {
      for (String name : references(variable.getValue())) {
        if (!defined.containsKey(name)) {
          dangling.add(variable.getName() + " -> $(" + name + ")");
        }
      }
      defined.put(variable.getName(), "");
    }
    return dangling;
  }

  /** The variable names {@code value} refers to with {@code $(NAME)}. */
  static List<String> references(String value) {
    List<String> names = new ArrayList<>();
    if (value != null) {
      Matcher matcher = REFERENCE.matcher(value);
      while (matcher.find()) {
        if (matcher.group(1) != null) {
          names.add(matcher.group(1));
        }
      }
    }
    return names;
  }

  private static String value(EnvVar variable, Map<String, String> defined, PodFacts pod) {
    if (variable.getValueFrom() != null) {
      if (variable.getValueFrom().getFieldRef() == null) {
        throw new AssertionError(variable.getName() + ": only fieldRef is modelled here");
      }
      return field(variable.getValueFrom().getFieldRef().getFieldPath(), pod);
    }
    String value = variable.getValue() == null ? "" : variable.getValue();
    Matcher matcher = REFERENCE.matcher(value);
    StringBuilder expanded = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      String replacement;
      if (name == null) {
        replacement = "$";
      } else {
        replacement = defined.getOrDefault(name, matcher.group());
      }
      matcher.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(expanded);
    return expanded.toString();
  }

  private static String field(String path, PodFacts pod) {
    Matcher label = Pattern.compile("metadata\\.labels\\['([^']+)'\\]").matcher(path);
    if (label.matches()) {
      return pod.labels().getOrDefault(label.group(1), "");
    }
    return switch (path) {
      case "metadata.name" -> pod.name();
      case "metadata.namespace" -> pod.namespace();
      default -> throw new AssertionError("Downward API field not modelled here: " + path);
    };
  }

  private static void requireOptional(Boolean optional, String what) {
    if (!Boolean.TRUE.equals(optional)) {
      throw new AssertionError(what + " is referenced but not in the manifests");
    }
  }

  static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  static <K, V> Map<K, V> nullToEmpty(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }
}
