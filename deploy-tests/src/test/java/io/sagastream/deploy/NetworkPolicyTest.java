package io.sagastream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Who may reach the orchestrator's HTTP API, as each kustomization renders the policy. */
class NetworkPolicyTest {

  /** The label an operator puts on a namespace (or a pod here) whose pods call the API. */
  private static final Map<String, String> API_CLIENT = Map.of("sagastream.io/api-client", "true");

  private static NetworkPolicy policy(List<HasMetadata> objects) {
    return Manifests.one(objects, NetworkPolicy.class, "sagastream");
  }

  private static Map<String, String> podLabels(StatefulSet set) {
    return set.getSpec().getTemplate().getMetadata().getLabels();
  }

  private static boolean matches(LabelSelector selector, Map<String, String> labels) {
    return selector != null
        && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty())
        && Manifests.selects(selector.getMatchLabels(), labels);
  }

  /** The peers of every ingress rule. */
  private static List<NetworkPolicy.Peer> peers(NetworkPolicy policy) {
    return policy.getSpec().ingress().stream()
        .flatMap(rule -> Manifests.nullToEmpty(rule.from()).stream())
        .toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
  void shouldGuardTheOrchestratorPodsIngressOnlyOnTheirHttpPort(String kustomization) {
    // given
    List<HasMetadata> objects = Kustomize.render(kustomization);
    StatefulSet set = Manifests.one(objects, StatefulSet.class, "sagastream");
    ContainerPort http =
        Manifests.container(set.getSpec().getTemplate(), "orchestrator").getPorts().stream()
            .filter(p -> "http".equals(p.getName()))
            .findFirst()
            .orElseThrow();

    // when
    NetworkPolicy policy = policy(objects);

    // then it selects the nodes and no other workload, limits what comes in and leaves what goes
    // out alone (Kafka, the registry, DNS and the collector are the operator's addresses), and
    // every rule has the http port, by its name or its number, and names who may use it
    assertThat(policy.getApiVersion()).isEqualTo(NetworkPolicy.API_VERSION);
    LabelSelector selected = policy.getSpec().podSelector();
    assertThat(matches(selected, podLabels(set))).isTrue();
    assertThat(Manifests.podTemplates(objects))
        .filteredOn(t -> t.owner() != set)
        .noneMatch(t -> matches(selected, Manifests.labels(t.template())));
    assertThat(policy.getSpec().policyTypes()).containsExactly("Ingress");
    assertThat(policy.getSpec().egress()).isNullOrEmpty();
    assertThat(policy.getSpec().ingress())
        .isNotEmpty()
        .allSatisfy(
            rule -> {
              assertThat(rule.from()).isNotEmpty();
              assertThat(rule.ports())
                  .singleElement()
                  .satisfies(
                      port -> {
                        assertThat(port.protocol()).isIn(null, "TCP");
                        assertThat(
                                port.port().getStrVal() != null
                                    ? port.port().getStrVal().equals(http.getName())
                                    : port.port().getIntVal().equals(http.getContainerPort()))
                            .as("port %s", port.port())
                            .isTrue();
                      });
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
  void shouldLetInThePeersTheDefinitionsJobAndWhatTheOperatorLabelsOnly(String kustomization) {
    // given
    List<HasMetadata> objects = Kustomize.render(kustomization);
    StatefulSet set = Manifests.one(objects, StatefulSet.class, "sagastream");
    Job definitions = Manifests.one(objects, Job.class, "sagastream-definitions");

    // when
    List<NetworkPolicy.Peer> peers = peers(policy(objects));
    List<NetworkPolicy.Peer> here =
        peers.stream().filter(p -> p.namespaceSelector() == null).toList();

    // then the other nodes (calls passed on to a key's owner, liveness questions) and the
    // definitions Job, from this namespace; pods here and namespaces the operator labelled
    // (the ingress controller's, Prometheus'); nobody by address, and no selector that lets
    // everyone in
    assertThat(here).anyMatch(p -> matches(p.podSelector(), podLabels(set)));
    assertThat(here)
        .anyMatch(
            p ->
                matches(
                    p.podSelector(),
                    definitions.getSpec().getTemplate().getMetadata().getLabels()));
    assertThat(here)
        .anyMatch(
            p -> p.podSelector() != null && API_CLIENT.equals(p.podSelector().getMatchLabels()));
    assertThat(peers)
        .anyMatch(
            p ->
                p.podSelector() == null
                    && API_CLIENT.equals(p.namespaceSelector().getMatchLabels()));
    assertThat(peers)
        .allSatisfy(
            p -> {
              assertThat(p.ipBlock()).isNull();
              for (LabelSelector selector :
                  new LabelSelector[] {p.podSelector(), p.namespaceSelector()}) {
                if (selector != null) {
                  assertThat(selector.getMatchLabels()).as("an empty selector").isNotEmpty();
                }
              }
            });
    assertThat(RepositoryFiles.read(RepositoryFiles.path("deploy", "README.md")))
        .contains("sagastream.io/api-client");
  }
}
