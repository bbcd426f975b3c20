package io.sagastream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** docker-compose.yml, read as Compose reads it (anchors and merge keys included). */
class DockerComposeTest {

  private static final List<String> ORCHESTRATORS = List.of("orchestrator-1", "orchestrator-2");

  @SuppressWarnings("unchecked")
  private static Map<String, Object> compose() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    Yaml yaml = new Yaml(new SafeConstructor(options));
    return (Map<String, Object>)
        yaml.load(RepositoryFiles.read(RepositoryFiles.path("docker-compose.yml")));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> services() {
    return (Map<String, Object>) compose().get("services");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> service(String name) {
    Object service = services().get(name);
    assertThat(service).as("service %s", name).isNotNull();
    return (Map<String, Object>) service;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> environment(String name) {
    Map<String, String> environment = new TreeMap<>();
    Object declared = service(name).getOrDefault("environment", Map.of());
    if (declared instanceof List<?> list) {
      list.forEach(
          entry -> {
            String[] pair = String.valueOf(entry).split("=", 2);
            environment.put(pair[0], pair.length > 1 ? pair[1] : "");
          });
    } else {
      ((Map<String, Object>) declared)
          .forEach((key, value) -> environment.put(key, String.valueOf(value)));
    }
    return environment;
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Map<String, Object> service, String key) {
    return ((List<Object>) service.getOrDefault(key, List.of()))
        .stream().map(String::valueOf).toList();
  }

  @Test
  void shouldRunKafkaTheRegistryTwoNodesTheParticipantsAndTheDemo() {
    // given
    // when
    Set<String> names = services().keySet();

    // then
    assertThat(names)
        .contains(
            "kafka",
            "registry",
            "registry-init",
            "orchestrator-1",
            "orchestrator-2",
            "samples",
            "definitions",
            "demo");
  }

  @Test
  void shouldPublishEveryPortOnLoopbackOnly() {
    // given
    // when
    List<String> published =
        services().values().stream().flatMap(s -> strings(castMap(s), "ports").stream()).toList();

    // then
    assertThat(published).isNotEmpty().allMatch(port -> port.startsWith("127.0.0.1:"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"orchestrator-1", "orchestrator-2"})
  void shouldSetOnlyVariablesTheNodeReadsWithValuesOfTheirType(String name) {
    // given
    Map<String, String> environment = environment(name);

    // when
    var micronaut = AppSettings.environment(environment);

    // then
    assertThat(environment.keySet()).allMatch(AppSettings::reads);
    AppSettings.all().values().stream()
        .filter(setting -> environment.containsKey(setting.variable()))
        .forEach(
            setting -> assertThat(setting.converts(micronaut)).as(setting.variable()).isTrue());
  }

  @ParameterizedTest
  @ValueSource(strings = {"orchestrator-1", "orchestrator-2"})
  void shouldPublishItsOwnServiceNameAndHttpPortAsApplicationServer(String name) {
    // given
    Map<String, String> environment = environment(name);
    String port = environment.getOrDefault("MICRONAUT_SERVER_PORT", "8080");

    // when
    Object applicationServer = AppSettings.streamsSettings(environment).get("application.server");

    // then the other node reaches it by its service name, on the port its HTTP server listens on
    // and publishes
    assertThat(applicationServer).isEqualTo(name + ":" + port);
    assertThat(strings(service(name), "ports")).anyMatch(p -> p.endsWith(":" + port));
  }

  @Test
  void shouldGiveEachNodeItsOwnMemberId() {
    // given
    // when
    List<String> ids =
        ORCHESTRATORS.stream()
            .map(name -> environment(name).get("SAGASTREAM_GROUP_INSTANCE_ID"))
            .toList();

    // then
    assertThat(ids)
        .doesNotContainNull()
        .doesNotHaveDuplicates()
        .containsExactlyElementsOf(ORCHESTRATORS);
  }

  /** Whether {@code name} keeps data in a named volume, which `docker compose down` leaves. */
  private static boolean keepsDataPastDown(String name) {
    Set<String> named =
        compose().containsKey("volumes") ? castMap(compose().get("volumes")).keySet() : Set.of();
    return strings(service(name), "volumes").stream()
        .map(v -> v.split(":")[0])
        .anyMatch(named::contains);
  }

  @Test
  void shouldKeepTheNodesStateExactlyAsLongAsKafkasDataAndTheRegistrysSchemas() {
    // given the services that hold data: Kafka (the changelogs, offsets and journal), the registry
    // (the schemas the records' ids name) and the nodes (their stores, checkpoints of those
    // changelogs)
    List<String> holders = new java.util.ArrayList<>(List.of("kafka", "registry"));
    holders.addAll(ORCHESTRATORS);

    // when
    Map<String, Boolean> kept = new TreeMap<>();
    holders.forEach(name -> kept.put(name, keepsDataPastDown(name)));

    // then all of them survive `down`, or none: stores kept past a fresh Kafka would hold sagas
    // and checkpoints of topics that no longer exist
    assertThat(Set.copyOf(kept.values())).as("%s", kept).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"orchestrator-1", "orchestrator-2"})
  void shouldRestartANodeThatStopsByItself(String name) {
    // given
    // when
    Object restart = service(name).get("restart");

    // then a node that exits (Kafka Streams failed for good, out of memory) comes back, as the
    // kubelet would bring it back
    assertThat(restart).isIn("unless-stopped", "always", "on-failure");
  }

  @Test
  void shouldNotDeployTheDefinitionAgainAndAgain() {
    // given
    // when
    String restart = String.valueOf(service("definitions").getOrDefault("restart", "no"));

    // then a document the node refuses is not posted for ever, each post a new version
    assertThat(restart).matches("no|on-failure:[1-5]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"orchestrator-1", "orchestrator-2"})
  void shouldStartOnceKafkaIsHealthyAndTheRegistryIsSetUp(String name) {
    // given
    Map<String, Object> dependsOn = castMap(service(name).get("depends_on"));

    // when
    // then
    assertThat(castMap(dependsOn.get("kafka"))).containsEntry("condition", "service_healthy");
    assertThat(dependsOn).containsKey("registry");
    assertThat(castMap(dependsOn.get("registry-init")))
        .containsEntry("condition", "service_completed_successfully");
  }

  @ParameterizedTest
  @ValueSource(strings = {"orchestrator-1", "orchestrator-2", "samples"})
  void shouldReachKafkaAndTheRegistryAtTheirServiceAddresses(String name) {
    // given Kafka's listener for other containers, and the registry's container port
    String internalListener =
        Stream.of(environment("kafka").get("KAFKA_ADVERTISED_LISTENERS").split(","))
            .filter(l -> l.startsWith("INTERNAL://"))
            .map(l -> l.substring("INTERNAL://".length()))
            .findFirst()
            .orElseThrow();
    String registryPort = strings(service("registry"), "ports").get(0).replaceAll(".*:", "");

    // when
    Map<String, String> environment = environment(name);

    // then
    assertThat(environment).containsEntry("SAGASTREAM_BOOTSTRAP_SERVERS", internalListener);
    assertThat(environment.get("SAGASTREAM_SCHEMA_REGISTRY_URL"))
        .isEqualTo("http://registry:" + registryPort + "/apis/ccompat/v7");
  }

  @Test
  void shouldConfigureTheSamplesWithSettingsTheyRead() {
    // given
    // when
    Map<String, String> environment = environment("samples");

    // then
    assertThat(environment.keySet()).allMatch(AppSettings::samplesRead);
  }

  @ParameterizedTest
  @ValueSource(strings = {"orchestrator-1", "orchestrator-2", "samples", "demo"})
  void shouldBuildFromTheDockerfilesTheTestsCheck(String name) {
    // given
    Map<String, Object> build = castMap(service(name).get("build"));

    // when
    String dockerfile = String.valueOf(build.get("dockerfile"));

    // then the context is the repository root (the jars' paths are relative to it)
    assertThat(build).containsEntry("context", ".");
    assertThat(dockerfile).startsWith("deploy/docker/");
    assertThat(RepositoryFiles.path(dockerfile)).exists();
  }

  @Test
  void shouldRunTheDemoOnlyWhenAskedAgainstThisKafkaAndRegistry() {
    // given
    Map<String, Object> demo = service("demo");

    // when
    List<String> command = strings(demo, "command");

    // then it stays out of a plain `docker compose up`, and uses the launcher's options
    assertThat(strings(demo, "profiles")).containsExactly("demo");
    assertThat(command)
        .containsSubsequence(
            "--kafka", environment("orchestrator-1").get("SAGASTREAM_BOOTSTRAP_SERVERS"))
        .containsSubsequence(
            "--registry", environment("orchestrator-1").get("SAGASTREAM_SCHEMA_REGISTRY_URL"))
        .contains("--keep-running");
    assertThat(command)
        .filteredOn(argument -> argument.startsWith("--"))
        .allMatch(Set.of("--kafka", "--registry", "--sagas", "--keep-running")::contains);
  }

  @Test
  void shouldDeployTheSampleDefinitionFromAFileThatExists() {
    // given
    Map<String, Object> definitions = service("definitions");

    // when
    List<String> mounts = strings(definitions, "volumes");
    List<String> command = strings(definitions, "command");

    // then it posts a mounted document to a node's /definitions
    assertThat(mounts)
        .allSatisfy(m -> assertThat(Files.exists(RepositoryFiles.path(m.split(":")[0]))).isTrue());
    assertThat(command.get(command.size() - 1))
        .isEqualTo("http://orchestrator-1:" + "8080" + "/definitions");
    assertThat(OpenApi.serves("post", "/definitions")).isTrue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object value) {
    assertThat(value).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }
}
