package io.sagastream.deploy;

import static io.sagastream.deploy.Manifests.nullToEmpty;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.micronaut.context.env.Environment;
import io.sagastream.app.OrchestratorSettings;
import io.sagastream.topology.BoundedStoreMemory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The orchestrator's StatefulSet, as each kustomization renders it, against what the application
 * reads and serves.
 */
class OrchestratorStatefulSetTest {

  private static final String ZONE_LABEL = "topology.kubernetes.io/zone";

  /** What a pod of the set is told about itself in these tests. */
  private static Manifests.PodFacts pod(int ordinal, String zone) {
    Map<String, String> labels = new HashMap<>();
    if (zone != null) {
      labels.put(ZONE_LABEL, zone);
    }
    return new Manifests.PodFacts("sagastream-" + ordinal, "saga-ns", labels);
  }

  private static List<HasMetadata> rendered(String kustomization) {
    return Kustomize.render(kustomization);
  }

  private static StatefulSet statefulSet(List<HasMetadata> objects) {
    return Manifests.one(objects, StatefulSet.class, "sagastream");
  }

  private static Container orchestrator(StatefulSet set) {
    return Manifests.container(set.getSpec().getTemplate(), "orchestrator");
  }

  private static Map<String, String> environment(
      List<HasMetadata> objects, Manifests.PodFacts pod) {
    return Manifests.environment(orchestrator(statefulSet(objects)), objects, pod);
  }

  private static ContainerPort httpPort(Container container) {
    return container.getPorts().stream()
        .filter(p -> "http".equals(p.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("The orchestrator has no port named http"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
  void shouldSetOnlyEnvironmentVariablesTheNodeReads(String kustomization) {
    // given the orchestrator container as rendered, with its ConfigMap and Secret keys
    List<HasMetadata> objects = rendered(kustomization);
    Container container = orchestrator(statefulSet(objects));
    Map<String, String> variables = environment(objects, pod(0, "zone-a"));

    // when the names that are neither a setting of the node nor a helper other values refer to
    // (POD_NAME in $(POD_NAME)) are picked out
    List<String> referenced =
        nullToEmpty(container.getEnv()).stream()
            .flatMap(v -> Manifests.references(v.getValue()).stream())
            .toList();
    List<String> unknown =
        variables.keySet().stream()
            .filter(name -> !AppSettings.reads(name))
            .filter(name -> !referenced.contains(name))
            .toList();

    // then there are none, and every reference names a variable defined before it
    assertThat(unknown)
        .as(
            "variables the orchestrator does not read (OrchestratorSettings, TracingSettings,"
                + " %s, KAFKA_STREAMS_DEFAULT_<Kafka setting>)",
            AppSettings.FIXED)
        .isEmpty();
    assertThat(Manifests.danglingReferences(container, objects)).isEmpty();
    assertThat(referenced).allSatisfy(name -> assertThat(variables).containsKey(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
  void shouldGiveEverySettingAValueOfItsType(String kustomization) {
    // given the node's environment as the pod gets it
    Map<String, String> variables = environment(rendered(kustomization), pod(0, "zone-a"));
    Environment environment = AppSettings.environment(variables);

    // when each SAGASTREAM_* value is converted as Micronaut binds it to the settings classes
    // then it converts (a duration is a duration, a count a number)
    AppSettings.all().values().stream()
        .filter(setting -> variables.containsKey(setting.variable()))
        .forEach(
            setting ->
                assertThat(setting.converts(environment))
                    .as(
                        "%s=%s as %s",
                        setting.variable(),
                        variables.get(setting.variable()),
                        setting.size() ? "size" : setting.type().getSimpleName())
                    .isTrue());
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
  void shouldUseThePodNameAsStaticMemberIdAndInTheAddressOtherNodesCall(String kustomization) {
    // given the second pod of the set
    List<HasMetadata> objects = rendered(kustomization);
    StatefulSet set = statefulSet(objects);
    Manifests.PodFacts pod = pod(1, "zone-b");

    // when its environment is worked out
    Map<String, String> variables = environment(objects, pod);
    Map<String, Object> streams = AppSettings.streamsSettings(variables);

    // then its pod name is its group.instance.id, and its application.server is its DNS name under
    // the StatefulSet's headless Service, on the port the HTTP server listens on
    assertThat(variables).containsEntry("SAGASTREAM_GROUP_INSTANCE_ID", "sagastream-1");
    int port = httpPort(orchestrator(set)).getContainerPort();
    assertThat(variables.getOrDefault("MICRONAUT_SERVER_PORT", "8080"))
        .isEqualTo(String.valueOf(port));
    assertThat(streams.get("application.server"))
        .isEqualTo(
            "sagastream-1."
                + set.getSpec().getServiceName()
                + ".saga-ns.svc.cluster.local:"
                + port);
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
  void shouldGovernThePodsWithAHeadlessServiceThatSelectsThem(String kustomization) {
    // given
    List<HasMetadata> objects = rendered(kustomization);
    StatefulSet set = statefulSet(objects);
    Map<String, String> podLabels = set.getSpec().getTemplate().getMetadata().getLabels();

    // when
    Service headless = Manifests.one(objects, Service.class, set.getSpec().getServiceName());

    // then it is headless, selects the set's pods and no other workload's, and serves their port
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(Manifests.selects(headless.getSpec().getSelector(), podLabels)).isTrue();
    assertThat(Manifests.selects(set.getSpec().getSelector().getMatchLabels(), podLabels)).isTrue();
    assertThat(Manifests.podTemplates(objects))
        .filteredOn(t -> t.owner() != set)
        .noneMatch(
            t ->
                Manifests.selects(
                    headless.getSpec().getSelector(), Manifests.labels(t.template())));
    ContainerPort http = httpPort(orchestrator(set));
    assertThat(headless.getSpec().getPorts())
        .extracting(ServicePort::getPort)
        .contains(http.getContainerPort());
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
  void shouldKeepTheStateDirectoryOnAClaimedVolume(String kustomization) {
    // given
    List<HasMetadata> objects = rendered(kustomization);
    StatefulSet set = statefulSet(objects);
    Map<String, String> variables = environment(objects, pod(0, "zone-a"));

    // when
    String stateDir = variables.get("SAGASTREAM_STATE_DIR");
    List<String> claims =
        set.getSpec().getVolumeClaimTemplates().stream()
            .map(c -> c.getMetadata().getName())
            .toList();

    // then the state directory is the mount of a volumeClaimTemplate, not of a pod volume
    assertThat(stateDir).as("SAGASTREAM_STATE_DIR").isNotBlank();
    assertThat(orchestrator(set).getVolumeMounts())
        .filteredOn(m -> m.getMountPath().equals(stateDir))
        .singleElement()
        .extracting(VolumeMount::getName)
        .isIn(claims);
    assertThat(set.getSpec().getTemplate().getSpec().getVolumes())
        .extracting(Volume::getName)
        .doesNotContainAnyElementsOf(claims);
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
  void shouldDeleteTheStateOfAPodScaledAwayButKeepItWhenTheSetIsDeleted(String kustomization) {
    // given
    StatefulSet set = statefulSet(rendered(kustomization));

    // when
    var retention = set.getSpec().getPersistentVolumeClaimRetentionPolicy();

    // then a scale-out starts from the changelogs, not from stores that missed deletions the
    // changelogs have compacted away since; a set deleted by mistake keeps its state
    assertThat(retention.getWhenScaled()).isEqualTo("Delete");
    assertThat(retention.getWhenDeleted()).isEqualTo("Retain");
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
  void shouldKeepAStandbyOfEveryTaskOnAnotherNode(String kustomization) {
    // given
    List<HasMetadata> objects = rendered(kustomization);
    int replicas = statefulSet(objects).getSpec().getReplicas();

    // when
    String standbys = environment(objects, pod(0, "zone-a")).get("SAGASTREAM_STANDBY_REPLICAS");

    // then there is a standby, and a node for it besides the active one
    assertThat(standbys).isNotNull();
    assertThat(Integer.parseInt(standbys)).isBetween(1, replicas - 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
  void shouldProbeTheHealthEndpointsTheNodeServes(String kustomization) {
    // given
    Container container = orchestrator(statefulSet(rendered(kustomization)));

    // when
    Probe readiness = container.getReadinessProbe();
    Probe liveness = container.getLivenessProbe();

    // then readiness asks whether Kafka Streams runs, liveness whether it has failed for good, both
    // on the HTTP port and at paths in the orchestrator's OpenAPI document
    assertThat(readiness.getHttpGet().getPath()).isEqualTo("/health/readiness");
    assertThat(liveness.getHttpGet().getPath()).isEqualTo("/health/liveness");
    for (Probe probe : List.of(readiness, liveness, container.getStartupProbe())) {
      assertThat(OpenApi.serves("get", probe.getHttpGet().getPath()))
          .as("GET %s in the OpenAPI document", probe.getHttpGet().getPath())
          .isTrue();
      assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
  void shouldLetOnlyOnePodBeDisruptedAtATime(String kustomization) {
    // given
    List<HasMetadata> objects = rendered(kustomization);
    StatefulSet set = statefulSet(objects);

    // when
    PodDisruptionBudget budget = Manifests.one(objects, PodDisruptionBudget.class, "sagastream");

    // then it allows one pod away, lets pods that are not ready go (a Kafka outage must not block
    // drains), and selects the set's pods and no other workload's
    assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(budget.getSpec().getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow");
    Map<String, String> selector = budget.getSpec().getSelector().getMatchLabels();
    assertThat(budget.getSpec().getSelector().getMatchExpressions()).isNullOrEmpty();
    assertThat(Manifests.selects(selector, set.getSpec().getTemplate().getMetadata().getLabels()))
        .isTrue();
    assertThat(Manifests.podTemplates(objects))
        .filteredOn(t -> t.owner() != set)
        .noneMatch(t -> Manifests.selects(selector, Manifests.labels(t.template())));
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
  void shouldRollOutOnePodAtATime(String kustomization) {
    // given
    StatefulSet set = statefulSet(rendered(kustomization));

    // when
    var strategy = set.getSpec().getUpdateStrategy();

    // then updates roll through every pod, one at a time; creation and scaling happen at once
    assertThat(strategy.getType()).isEqualTo("RollingUpdate");
    if (strategy.getRollingUpdate() != null) {
      assertThat(strategy.getRollingUpdate().getPartition()).isIn(null, 0);
      assertThat(strategy.getRollingUpdate().getMaxUnavailable()).isNull();
    }
    assertThat(set.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
  void shouldGiveTheNodeLongerToStopThanItsShutdownTimeout(String kustomization) {
    // given
    List<HasMetadata> objects = rendered(kustomization);
    Map<String, String> variables = environment(objects, pod(0, "zone-a"));

    // when the shutdown timeout is read as the node reads it (its default when unset)
    Duration shutdown =
        AppSettings.environment(variables)
            .getProperty("sagastream.shutdown-timeout", Duration.class)
            .orElseGet(() -> new OrchestratorSettings().getShutdownTimeout());
    long grace =
        statefulSet(objects).getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
    // (the preStop pause counts against the grace period too)
    List<String> preStop =
        orchestrator(statefulSet(objects)).getLifecycle().getPreStop().getExec().getCommand();
    assertThat(preStop).hasSize(2).startsWith("sleep");
    Duration pause = Duration.ofSeconds(Long.parseLong(preStop.get(1)));

    // then the kubelet waits for the pause and for the stores to close, with time to spare for the
    // HTTP server
    assertThat(Duration.ofSeconds(grace))
        .isGreaterThanOrEqualTo(pause.plus(shutdown).plusSeconds(10));
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
  void shouldRunAsNonRootOnAReadOnlyRootWithoutPrivileges(String kustomization) {
    // given
    StatefulSet set = statefulSet(rendered(kustomization));
    PodSpec spec = set.getSpec().getTemplate().getSpec();
    Container container = orchestrator(set);

    // when
    PodSecurityContext pod = spec.getSecurityContext();
    SecurityContext own = container.getSecurityContext();

    // then
    assertThat(pod.getRunAsNonRoot()).isTrue();
    assertThat(pod.getRunAsUser()).isPositive();
    assertThat(pod.getRunAsUser())
        .as("the image's USER")
        .isEqualTo(Dockerfile.read("orchestrator.Dockerfile").userId());
    assertThat(pod.getFsGroup()).as("fsGroup, so the state volume is writable").isNotNull();
    assertThat(pod.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(own.getReadOnlyRootFilesystem()).isTrue();
    assertThat(own.getAllowPrivilegeEscalation()).isFalse();
    assertThat(own.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(own.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(own.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(spec.getAutomountServiceAccountToken()).isFalse();
    // a writable /tmp (RocksDB unpacks its native library there), from an emptyDir
    VolumeMount tmp =
        container.getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals("/tmp"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no volume at /tmp"));
    assertThat(spec.getVolumes())
        .filteredOn(v -> v.getName().equals(tmp.getName()))
        .singleElement()
        .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
  void shouldSpreadOverZonesAndGiveKafkaStreamsTheZoneForStandbys(String kustomization) {
    // given
    List<HasMetadata> objects = rendered(kustomization);
    StatefulSet set = statefulSet(objects);
    Map<String, String> podLabels = set.getSpec().getTemplate().getMetadata().getLabels();

    // when the pod is in zone eu-west-1b
    Map<String, Object> streams =
        AppSettings.streamsSettings(environment(objects, pod(2, "eu-west-1b")));

    // then the pods spread over zones, and Kafka Streams tags the client with the zone and places
    // standbys by it, and the consumers know their rack
    assertThat(set.getSpec().getTemplate().getSpec().getTopologySpreadConstraints())
        .filteredOn(c -> c.getTopologyKey().equals(ZONE_LABEL))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getMaxSkew()).isEqualTo(1);
              assertThat(Manifests.selects(c.getLabelSelector().getMatchLabels(), podLabels))
                  .isTrue();
            });
    assertThat(streams).containsEntry("client.rack", "eu-west-1b");
    assertThat(String.valueOf(streams.get("client.tag.zone"))).endsWith("eu-west-1b");
    assertThat(String.valueOf(streams.get("rack.aware.assignment.tags")).split(","))
        .contains("zone");
    assertThat(streamsConfig(streams).getList(StreamsConfig.RACK_AWARE_ASSIGNMENT_TAGS_CONFIG))
        .containsExactly("zone");
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
  void shouldStillStartWhenNothingCopiedTheZoneOntoThePod(String kustomization) {
    // given a cluster that does not copy the node's zone label onto pods
    List<HasMetadata> objects = rendered(kustomization);

    // when
    Map<String, Object> streams = AppSettings.streamsSettings(environment(objects, pod(0, null)));

    // then Kafka Streams accepts the settings (it refuses an empty tag value): every node is in one
    // zone, as far as it knows, and the consumers have no rack
    assertThat(streamsConfig(streams).getClientTags().get("zone")).isNotEmpty();
    assertThat(streams).containsEntry("client.rack", "");
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
  void shouldTagEvenALongZoneNameWithinKafkaStreamsLimit(String kustomization) {
    // given a pod in a zone with one of the longest names clouds give (a Wavelength zone)
    List<HasMetadata> objects = rendered(kustomization);

    // when
    Map<String, Object> streams =
        AppSettings.streamsSettings(environment(objects, pod(0, "us-east-1-wl1-bos-wlz-1")));

    // then Kafka Streams accepts it (a tag value has at most 30 characters)
    assertThat(streamsConfig(streams).getClientTags().get("zone"))
        .endsWith("us-east-1-wl1-bos-wlz-1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
  void shouldSizeTheHeapAsAShareOfTheContainersMemory(String kustomization) {
    // given
    List<HasMetadata> objects = rendered(kustomization);
    Container container = orchestrator(statefulSet(objects));

    // when
    String options = environment(objects, pod(0, "zone-a")).get("JAVA_TOOL_OPTIONS");
    Map<String, Quantity> limits = container.getResources().getLimits();
    Map<String, Quantity> requests = container.getResources().getRequests();

    // then the heap follows the limit, leaving room off-heap for RocksDB, and the memory asked
    // for is the memory allowed (no overcommit for a stateful node)
    assertThat(options).doesNotContain("-Xmx").contains("-XX:+ExitOnOutOfMemoryError");
    Matcher share = Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)").matcher(options);
    assertThat(share.find()).as("-XX:MaxRAMPercentage in %s", options).isTrue();
    assertThat(Double.parseDouble(share.group(1))).isBetween(25.0, 60.0);
    assertThat(limits).containsKey("memory");
    assertThat(Quantity.getAmountInBytes(requests.get("memory")))
        .isEqualTo(Quantity.getAmountInBytes(limits.get("memory")));
    assertThat(requests).containsKey("cpu");
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
  void shouldLeaveAThirdOfTheContainerBesideTheHeapAndTheStoresBoundedMemory(String kustomization) {
    // given
    List<HasMetadata> objects = rendered(kustomization);
    Map<String, String> variables = environment(objects, pod(0, "zone-a"));
    long limit =
        Quantity.getAmountInBytes(
                orchestrator(statefulSet(objects)).getResources().getLimits().get("memory"))
            .longValueExact();

    // when
    Matcher share =
        Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)")
            .matcher(variables.get("JAVA_TOOL_OPTIONS"));
    assertThat(share.find()).isTrue();
    double heap = limit * Double.parseDouble(share.group(1)) / 100;
    long stores =
        variables.containsKey("SAGASTREAM_STORE_MEMORY")
            ? AppSettings.bytes(variables.get("SAGASTREAM_STORE_MEMORY")).orElseThrow()
            : BoundedStoreMemory.DEFAULT_BYTES;

    // then Netty, thread stacks, metaspace and the allocator keep a third of the container
    assertThat(stores).isGreaterThanOrEqualTo(BoundedStoreMemory.MINIMUM_BYTES);
    assertThat(heap + stores).isLessThanOrEqualTo(limit * 2.0 / 3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
  void shouldBeScrapedByPrometheusOnTheHttpPort(String kustomization) {
    // given
    StatefulSet set = statefulSet(rendered(kustomization));

    // when
    Map<String, String> annotations = set.getSpec().getTemplate().getMetadata().getAnnotations();

    // then
    assertThat(annotations).containsEntry("prometheus.io/scrape", "true");
    assertThat(annotations.get("prometheus.io/port"))
        .isEqualTo(String.valueOf(httpPort(orchestrator(set)).getContainerPort()));
    assertThat(OpenApi.serves("get", annotations.get("prometheus.io/path"))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/production"})
  void shouldPreferButNotRequireOnePodPerHost(String kustomization) {
    // given
    StatefulSet set = statefulSet(rendered(kustomization));

    // when
    List<TopologySpreadConstraint> constraints =
        set.getSpec().getTemplate().getSpec().getTopologySpreadConstraints();

    // then spreading over hosts is a preference: a small cluster still schedules every pod
    assertThat(constraints)
        .filteredOn(c -> c.getTopologyKey().equals("kubernetes.io/hostname"))
        .allSatisfy(c -> assertThat(c.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway"));
  }

  @ParameterizedTest
  @CsvSource({"overlays/dev, ScheduleAnyway", "overlays/production, DoNotSchedule"})
  void shouldRequireZonesInProductionOnlyWishForThemInDev(String kustomization, String rule) {
    // given
    StatefulSet set = statefulSet(rendered(kustomization));

    // when
    List<TopologySpreadConstraint> zones =
        set.getSpec().getTemplate().getSpec().getTopologySpreadConstraints().stream()
            .filter(c -> c.getTopologyKey().equals(ZONE_LABEL))
            .toList();

    // then one rule for zones: a hard one where zones exist, a soft one on a one-node cluster
    assertThat(zones)
        .singleElement()
        .extracting(TopologySpreadConstraint::getWhenUnsatisfiable)
        .isEqualTo(rule);
  }

  private static StreamsConfig streamsConfig(Map<String, Object> passedThrough) {
    Properties properties = new Properties();
    properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "sagastream");
    properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9092");
    properties.putAll(passedThrough);
    return new StreamsConfig(properties);
  }
}
