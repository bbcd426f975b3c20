package io.sagastream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.sagastream.app.OrchestratorSettings;
import io.sagastream.topology.SagaTopics;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The topics Job, the definitions Job and the sample participants, against the orchestrator. */
class JobsAndParticipantsTest {

  private static final Pattern CREATE = Pattern.compile("(?m)^\\s*create (\\S+) (\\S+)(.*)$");

  private static Container only(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  /** The container's reference to the Kafka Secret: its name and whether it is optional. */
  private static String kafkaAuth(Container container) {
    return container.getEnvFrom().stream()
        .filter(s -> s.getSecretRef() != null)
        .filter(s -> s.getSecretRef().getName().equals("sagastream-kafka-auth"))
        .map(s -> s.getSecretRef().getName() + " optional=" + s.getSecretRef().getOptional())
        .findFirst()
        .orElse(null);
  }

  private static String script(Container container) {
    List<String> command = container.getCommand();
    return command.get(command.size() - 1);
  }

  /** Topic name to partition count and extra arguments, from the Job's create lines. */
  private static Map<String, List<String>> createdTopics(Job job) {
    Map<String, List<String>> topics = new LinkedHashMap<>();
    Matcher create = CREATE.matcher(script(only(job)));
    while (create.find()) {
      topics.put(create.group(1), List.of(create.group(2), create.group(3).strip()));
    }
    return topics;
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/production"})
  void shouldCreateEveryTopicTheNodeNeedsCoPartitioned(String kustomization) {
    // given the topics the node checks for at start-up
    SagaTopics topics = new SagaTopics("", 1, (short) 1);
    Job job = Manifests.one(Kustomize.render(kustomization), Job.class, "sagastream-topics");

    // when
    Map<String, List<String>> created = createdTopics(job);

    // then all of them, the inputs with the configured partition count, definitions compacted in
    // one partition
    assertThat(created.keySet())
        .containsExactlyInAnyOrder(
            topics.requests(),
            topics.replies(),
            topics.messages(),
            topics.rerouted(),
            topics.events(),
            topics.deadLetters(),
            topics.definitions());
    String partitions = created.get(topics.requests()).get(0);
    assertThat(partitions).isEqualTo("\"$partitions\"");
    topics.inputs().forEach(input -> assertThat(created.get(input).get(0)).isEqualTo(partitions));
    assertThat(created.get(topics.definitions()))
        .containsExactly("1", "--config cleanup.policy=compact");
    assertThat(script(only(job)))
        .contains("${SAGASTREAM_TOPIC_PREFIX}$1")
        .contains("--replication-factor \"$SAGASTREAM_REPLICATION_FACTOR\"")
        .contains("--bootstrap-server \"$SAGASTREAM_BOOTSTRAP_SERVERS\"")
        .contains("--if-not-exists");
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/production"})
  void shouldReadTheSameKafkaAndTopicLayoutAsTheNodes(String kustomization) {
    // given
    List<HasMetadata> objects = Kustomize.render(kustomization);
    Container node =
        Manifests.container(
            Manifests.one(objects, StatefulSet.class, "sagastream").getSpec().getTemplate(),
            "orchestrator");
    Container topics = only(Manifests.one(objects, Job.class, "sagastream-topics"));

    // when
    List<String> nodeSources =
        node.getEnvFrom().stream()
            .filter(s -> s.getConfigMapRef() != null)
            .map(s -> s.getConfigMapRef().getName())
            .toList();
    List<String> jobSources =
        topics.getEnvFrom().stream()
            .filter(s -> s.getConfigMapRef() != null)
            .map(s -> s.getConfigMapRef().getName())
            .toList();

    // then one ConfigMap, and the nodes do not create topics themselves nor override the layout
    assertThat(jobSources).containsExactlyElementsOf(nodeSources);
    // and the Kafka Secret, as optional for the Job as for the nodes (a cluster without a login)
    assertThat(kafkaAuth(topics)).isEqualTo(kafkaAuth(node)).isNotNull();
    ConfigMap layout = Manifests.one(objects, ConfigMap.class, jobSources.get(0));
    assertThat(layout.getData())
        .containsKeys(
            "SAGASTREAM_BOOTSTRAP_SERVERS",
            "SAGASTREAM_SCHEMA_REGISTRY_URL",
            "SAGASTREAM_PARTITIONS",
            "SAGASTREAM_REPLICATION_FACTOR",
            "SAGASTREAM_TOPIC_PREFIX");
    assertThat(node.getEnv())
        .noneMatch(v -> layout.getData().containsKey(v.getName()))
        .anyMatch(
            v -> v.getName().equals("SAGASTREAM_CREATE_TOPICS") && v.getValue().equals("false"));
  }

  @Test
  void shouldReplicateThreeTimesInProduction() {
    // given
    List<HasMetadata> objects = Kustomize.render("overlays/production");

    // when
    ConfigMap layout = Manifests.one(objects, ConfigMap.class, "sagastream-kafka");
    StatefulSet set = Manifests.one(objects, StatefulSet.class, "sagastream");

    // then topics survive a broker (with min.insync.replicas 2 on the brokers), and there are as
    // many nodes as zones
    assertThat(layout.getData()).containsEntry("SAGASTREAM_REPLICATION_FACTOR", "3");
    assertThat(set.getSpec().getReplicas()).isGreaterThanOrEqualTo(3);
    assertThat(Integer.parseInt(layout.getData().get("SAGASTREAM_PARTITIONS")))
        .isGreaterThanOrEqualTo(set.getSpec().getReplicas());
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/production"})
  void shouldDeployDefinitionsThroughTheOrchestratorService(String kustomization) {
    // given
    List<HasMetadata> objects = Kustomize.render(kustomization);
    Job job = Manifests.one(objects, Job.class, "sagastream-definitions");
    Container container = only(job);
    StatefulSet set = Manifests.one(objects, StatefulSet.class, "sagastream");

    // when
    URI url =
        URI.create(
            container.getEnv().stream()
                    .filter(v -> v.getName().equals("ORCHESTRATOR_URL"))
                    .findFirst()
                    .orElseThrow()
                    .getValue()
                + "/definitions");
    Service service = Manifests.one(objects, Service.class, url.getHost());

    // then it posts to a Service in front of the nodes, on its port, to an API path that exists,
    // every document of the definitions ConfigMap it mounts
    assertThat(
            Manifests.selects(
                service.getSpec().getSelector(),
                set.getSpec().getTemplate().getMetadata().getLabels()))
        .isTrue();
    assertThat(service.getSpec().getPorts()).anyMatch(p -> p.getPort() == url.getPort());
    assertThat(OpenApi.serves("post", url.getPath())).isTrue();
    assertThat(script(container)).contains("$ORCHESTRATOR_URL/definitions").contains("-X POST");
    String mounted =
        job.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getConfigMap() != null)
            .findFirst()
            .orElseThrow()
            .getConfigMap()
            .getName();
    assertThat(Manifests.one(objects, ConfigMap.class, mounted)).isNotNull();
  }

  @Test
  void shouldHandTheSampleDefinitionToTheDefinitionsJobInDev() throws Exception {
    // given
    List<HasMetadata> objects = Kustomize.render("overlays/dev");

    // when
    ConfigMap definitions = Manifests.one(objects, ConfigMap.class, "sagastream-definitions");
    JsonNode document =
        KubernetesYaml.YAML.readTree(definitions.getData().get("order-fulfilment.json"));

    // then the document is a definition whose steps send to topics without a template left in
    assertThat(document.path("name").asText()).isEqualTo("order-fulfilment");
    assertThat(document.path("steps").size()).isPositive();
    assertThat(definitions.getData().get("order-fulfilment.json")).doesNotContain("{{");
  }

  @Test
  void shouldRunTheSampleParticipantsOnceWithTheSettingsTheyRead() {
    // given
    List<HasMetadata> objects = Kustomize.render("overlays/dev");
    Deployment samples = Manifests.one(objects, Deployment.class, "sagastream-samples");
    Container container = samples.getSpec().getTemplate().getSpec().getContainers().get(0);

    // when
    Map<String, String> environment =
        Manifests.environment(
            container, objects, new Manifests.PodFacts("sagastream-samples-x", "dev", Map.of()));

    // then one replica (each team has a fixed transactional id) replaced, not rolled, and only
    // names SampleSettings reads: the orchestrator's addresses and layout, and the faults
    assertThat(samples.getSpec().getReplicas()).isEqualTo(1);
    assertThat(samples.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(container.getImage()).startsWith("sagastream-samples:");
    assertThat(environment.keySet()).allMatch(AppSettings::samplesRead);
    assertThat(environment)
        .containsKeys("SAGASTREAM_BOOTSTRAP_SERVERS", "SAGASTREAM_SCHEMA_REGISTRY_URL");
  }

  @Test
  void shouldLeaveTheSamplesOutOfProduction() {
    // given
    // when
    List<HasMetadata> objects = Kustomize.render("overlays/production");

    // then
    assertThat(Manifests.all(objects, Deployment.class))
        .noneMatch(d -> d.getMetadata().getName().equals("sagastream-samples"));
  }

  @Test
  void shouldKeepOnlyPlaceholdersInTheAuthSecretTemplate() {
    // given
    List<HasMetadata> objects = Kustomize.render("base");

    // when
    Map<String, String> auth =
        Manifests.secretData(
            Manifests.one(
                objects, io.fabric8.kubernetes.api.model.Secret.class, "sagastream-kafka-auth"));

    // then keys the node reads, a password nobody would keep, and no SASL unless asked for
    assertThat(auth.keySet()).allMatch(AppSettings::reads);
    assertThat(auth).containsEntry("KAFKA_STREAMS_DEFAULT_SECURITY_PROTOCOL", "PLAINTEXT");
    assertThat(auth.get("KAFKA_STREAMS_DEFAULT_SASL_JAAS_CONFIG")).contains("CHANGE-ME");
    Container node =
        Manifests.container(
            Manifests.one(objects, StatefulSet.class, "sagastream").getSpec().getTemplate(),
            "orchestrator");
    assertThat(node.getEnvFrom())
        .filteredOn(s -> s.getSecretRef() != null)
        .extracting(EnvFromSource::getSecretRef)
        .extracting(ref -> ref.getName())
        .containsExactlyInAnyOrder("sagastream-kafka-auth", "sagastream-api-auth");
  }

  @Test
  void shouldLogTheTopicsJobInToKafkaWithTheNodesCredentials(@TempDir Path work) throws Exception {
    // given the topics Job as production renders it, with a Kafka Secret an operator created whose
    // values hold what a properties file would read otherwise: a backslash, quotes, a line break
    // and leading spaces
    List<HasMetadata> objects = Kustomize.render("overlays/production");
    Container job = only(Manifests.one(objects, Job.class, "sagastream-topics"));
    Map<String, String> credentials =
        Map.of(
            "security.protocol",
            "SASL_SSL",
            "sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required\n  username=\"n\""
                + " password=\"p\\w =\\\"x\";",
            "ssl.endpoint.identification.algorithm",
            "  https");
    Map<String, String> environment =
        new LinkedHashMap<>(Manifests.environment(job, objects, null));
    credentials.forEach(
        (key, value) ->
            environment.put(
                "KAFKA_STREAMS_DEFAULT_" + key.toUpperCase(Locale.ROOT).replace('.', '_'), value));
    // and, in place of Kafka's kafka-topics.sh, one that keeps each --command-config it is given
    Path configs = Files.createDirectories(work.resolve("configs"));
    Path kafkaTopics = work.resolve("kafka-topics.sh");
    Files.writeString(
        kafkaTopics,
        """
        #!/bin/sh
        while [ $# -gt 0 ]; do
          if [ "$1" = --command-config ]; then cp "$2" "%s/$(ls %s | wc -l).properties"; fi
          shift
        done
        """
            .formatted(configs, configs));
    assertThat(kafkaTopics.toFile().setExecutable(true)).isTrue();
    environment.put("KAFKA_TOPICS", kafkaTopics.toString());

    // when its script runs (in a directory of the test's own for /tmp)
    JobScript.Run run =
        new JobScript(script(job)).with("/tmp/", work + "/").run(environment, work.resolve("none"));

    // then every topic is created with the admin client reading the nodes' credentials unchanged
    assertThat(run.exitCode()).as(run.output()).isZero();
    List<Path> given;
    try (var files = Files.list(configs)) {
      given = files.toList();
    }
    assertThat(given)
        .hasSizeGreaterThanOrEqualTo(
            createdTopics(Manifests.one(objects, Job.class, "sagastream-topics")).size());
    for (Path config : given) {
      Properties read = new Properties();
      try (var in = Files.newInputStream(config)) {
        read.load(in);
      }
      assertThat(read).containsAllEntriesOf(credentials);
    }
  }

  @Test
  void shouldLeaveTheSecretsToTheOperatorInProductionSoThatAnApplyKeepsTheRealOnes() {
    // given
    List<HasMetadata> production = Kustomize.render("overlays/production");

    // when
    List<Container> containers =
        Manifests.podTemplates(production).stream()
            .flatMap(t -> t.template().getSpec().getContainers().stream())
            .toList();
    List<String> referenced =
        java.util.stream.Stream.concat(
                containers.stream()
                    .flatMap(c -> Manifests.nullToEmpty(c.getEnvFrom()).stream())
                    .filter(s -> s.getSecretRef() != null)
                    .map(s -> s.getSecretRef().getName()),
                containers.stream()
                    .flatMap(c -> Manifests.nullToEmpty(c.getEnv()).stream())
                    .filter(
                        v -> v.getValueFrom() != null && v.getValueFrom().getSecretKeyRef() != null)
                    .map(v -> v.getValueFrom().getSecretKeyRef().getName()))
            .distinct()
            .toList();

    // then production applies no Secret, and each one its pods read has a template naming its keys
    assertThat(Manifests.all(production, io.fabric8.kubernetes.api.model.Secret.class)).isEmpty();
    assertThat(referenced)
        .contains("sagastream-kafka-auth", "sagastream-api-auth", "sagastream-deployer")
        .allSatisfy(name -> assertThat(Manifests.operatorsSecret(name)).isPresent());
    // while the try-out has them all, placeholders and all
    assertThat(
            Manifests.all(
                Kustomize.render("overlays/dev"), io.fabric8.kubernetes.api.model.Secret.class))
        .hasSize(3);
  }

  /**
   * The topics Job as {@code kustomization} renders it, run against a stand-in for kafka-topics.sh
   * that describes the topics in {@code existing} (name to partition count) and keeps the arguments
   * of each --create: topic name to its arguments, one string each.
   */
  private static Map<String, String> runTopicsJob(
      String kustomization, Map<String, String> overrides, Map<String, Integer> existing, Path work)
      throws Exception {
    List<HasMetadata> objects = Kustomize.render(kustomization);
    Container job = only(Manifests.one(objects, Job.class, "sagastream-topics"));
    Map<String, String> environment =
        new LinkedHashMap<>(Manifests.environment(job, objects, null));
    environment.putAll(overrides);
    Path described = Files.createDirectories(work.resolve("existing"));
    for (Map.Entry<String, Integer> topic : existing.entrySet()) {
      // as Kafka 4's kafka-topics.sh --describe prints a topic: a summary, then its partitions
      Files.writeString(
          described.resolve(topic.getKey()),
          "Topic: %1$s\tTopicId: q8bWf3xRT0ah\tPartitionCount: %2$d\tReplicationFactor: 3\t"
                  .formatted(topic.getKey(), topic.getValue())
              + "Configs: min.insync.replicas=2\n"
              + "\tTopic: %1$s\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1,2,3\n"
                  .formatted(topic.getKey()));
    }
    Path calls = work.resolve("calls");
    Path kafkaTopics = work.resolve("kafka-topics.sh");
    Files.writeString(
        kafkaTopics,
        """
        #!/bin/sh
        printf '%s\\n' "$*" >> @CALLS@
        topic=
        describe=
        while [ $# -gt 0 ]; do
          case "$1" in
            --topic) topic="$2" ;;
            --describe) describe=yes ;;
          esac
          shift
        done
        if [ -n "$describe" ] && [ -f "@EXISTING@/$topic" ]; then cat "@EXISTING@/$topic"; fi
        exit 0
        """
            .replace("@CALLS@", calls.toString())
            .replace("@EXISTING@", described.toString()));
    assertThat(kafkaTopics.toFile().setExecutable(true)).isTrue();
    environment.put("KAFKA_TOPICS", kafkaTopics.toString());

    JobScript.Run run =
        new JobScript(script(job)).with("/tmp/", work + "/").run(environment, work.resolve("none"));

    assertThat(run.exitCode()).as(run.output()).isZero();
    Map<String, String> created = new LinkedHashMap<>();
    Pattern topic = Pattern.compile("--topic (\\S+)");
    for (String call : Files.readAllLines(calls)) {
      Matcher name = topic.matcher(call);
      if (call.contains("--create") && name.find()) {
        created.put(name.group(1), call);
      }
    }
    return created;
  }

  /** The value of {@code --<option> value}, or of {@code --config <key>=value}, in {@code call}. */
  private static String argument(String call, String option) {
    Matcher value =
        Pattern.compile(
                option.startsWith("--")
                    ? Pattern.quote(option) + " (\\S+)"
                    : "--config " + Pattern.quote(option) + "=(\\S+)")
            .matcher(call);
    return value.find() ? value.group(1) : null;
  }

  @ParameterizedTest
  @CsvSource({"1, 1", "2, 1", "3, 2", "5, 2"})
  void shouldRequireOneReplicaFewerThanTheReplicationInSyncAtMostTwo(
      String replication, String minInsync, @TempDir Path work) throws Exception {
    // given
    // when the Job runs with that replication factor
    Map<String, String> created =
        runTopicsJob(
            "overlays/production",
            Map.of("SAGASTREAM_REPLICATION_FACTOR", replication),
            Map.of(),
            work);

    // then every topic it creates keeps a write going with a broker away, and without its
    // leader
    assertThat(created).hasSize(7);
    assertThat(created.values())
        .allSatisfy(
            call -> {
              assertThat(argument(call, "--replication-factor")).isEqualTo(replication);
              assertThat(argument(call, "min.insync.replicas")).isEqualTo(minInsync);
            });
  }

  @Test
  void shouldGiveKafkaStreamsTopicsTheSameMinInsyncReplicasAsTheJobsInProduction(@TempDir Path work)
      throws Exception {
    // given production's nodes, as the kubelet starts them
    List<HasMetadata> objects = Kustomize.render("overlays/production");
    Container node =
        Manifests.container(
            Manifests.one(objects, StatefulSet.class, "sagastream").getSpec().getTemplate(),
            "orchestrator");
    Map<String, String> environment =
        Manifests.environment(
            node, objects, new Manifests.PodFacts("sagastream-0", "sagastream", Map.of()));

    // when
    Map<String, Object> streams = AppSettings.streamsSettings(environment);
    Map<String, String> created = runTopicsJob("overlays/production", Map.of(), Map.of(), work);

    // then the changelogs and repartition topics get the Job's value, a setting Kafka has
    assertThat(AppSettings.reads("KAFKA_STREAMS_DEFAULT_TOPIC_MIN_INSYNC_REPLICAS")).isTrue();
    assertThat(String.valueOf(streams.get("topic.min.insync.replicas")))
        .isEqualTo(argument(created.get("saga.requests"), "min.insync.replicas"))
        .isEqualTo("2");
  }

  @Test
  void shouldCreateMissingTopicsWithThePartitionCountOfTheExistingInputs(@TempDir Path work)
      throws Exception {
    // given an upgrade: the inputs of an older layout exist with 8 partitions, 12 configured
    Map<String, Integer> existing =
        Map.of("saga.requests", 8, "saga.replies", 8, "saga.messages", 8);

    // when
    Map<String, String> created =
        runTopicsJob("overlays/production", Map.of(), existing, work.resolve("upgrade"));
    Map<String, String> fresh =
        runTopicsJob("overlays/production", Map.of(), Map.of(), work.resolve("fresh"));

    // then a missing topic gets the count the others have, as a node would give it; on a fresh
    // cluster, the configured one
    SagaTopics topics = new SagaTopics("", 1, (short) 1);
    assertThat(argument(created.get(topics.rerouted()), "--partitions")).isEqualTo("8");
    assertThat(argument(created.get(topics.events()), "--partitions")).isEqualTo("8");
    assertThat(argument(created.get(topics.definitions()), "--partitions")).isEqualTo("1");
    assertThat(argument(fresh.get(topics.rerouted()), "--partitions")).isEqualTo("12");
  }

  @Test
  void shouldKeepTheJournalAndTheDeadLettersLongerThanEndedSagas(@TempDir Path work)
      throws Exception {
    // given how long an ended saga stays in the nodes' instance store
    List<HasMetadata> objects = Kustomize.render("overlays/production");
    Container node =
        Manifests.container(
            Manifests.one(objects, StatefulSet.class, "sagastream").getSpec().getTemplate(),
            "orchestrator");
    Duration ended =
        AppSettings.environment(
                Manifests.environment(
                    node, objects, new Manifests.PodFacts("sagastream-0", "sagastream", Map.of())))
            .getProperty("sagastream.ended-retention", Duration.class)
            .orElseGet(() -> new OrchestratorSettings().getEndedRetention());

    // when
    Map<String, String> created = runTopicsJob("overlays/production", Map.of(), Map.of(), work);

    // then the journal, the only trace of a saga after that, and the dead letters keep their
    // records well beyond it, whatever the brokers' default; the other topics take the brokers'
    SagaTopics topics = new SagaTopics("", 1, (short) 1);
    for (String kept : List.of(topics.events(), topics.deadLetters())) {
      String retention = argument(created.get(kept), "retention.ms");
      assertThat(retention).as("retention.ms of %s", kept).isNotNull();
      assertThat(Long.parseLong(retention))
          .isGreaterThanOrEqualTo(ended.multipliedBy(2).toMillis());
    }
    assertThat(argument(created.get(topics.requests()), "retention.ms")).isNull();
  }

  @Test
  void shouldDeleteOnlyTheTopicsJobOnceFinished() {
    // given
    List<HasMetadata> objects = Kustomize.render("overlays/production");

    // when
    Job topics = Manifests.one(objects, Job.class, "sagastream-topics");
    Job definitions = Manifests.one(objects, Job.class, "sagastream-definitions");

    // then the topics Job goes after a while, to be made again (with a new image, say) and run
    // again at the next apply, which is harmless; the definitions Job stays, since each run
    // deploys new versions
    assertThat(topics.getSpec().getTtlSecondsAfterFinished()).isPositive();
    assertThat(definitions.getSpec().getTtlSecondsAfterFinished()).isNull();
  }

  @Test
  void shouldNameTheNodeTokenInTheApiAuthTemplate() {
    // given
    List<HasMetadata> objects = Kustomize.render("base");

    // when
    Map<String, String> auth =
        Manifests.secretData(
            Manifests.one(
                objects, io.fabric8.kubernetes.api.model.Secret.class, "sagastream-api-auth"));

    // then the nodes' shared token is a key production is told to fill in, with a placeholder
    assertThat(auth.keySet()).allMatch(AppSettings::reads);
    assertThat(auth.get("SAGASTREAM_SECURITY_NODE_TOKEN")).contains("CHANGE-ME");
    assertThat(RepositoryFiles.read(RepositoryFiles.path("deploy", "README.md")))
        .contains("SAGASTREAM_SECURITY_NODE_TOKEN");
  }
}
