package io.sagastream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The container images, checked without Docker: base, user, jar and entry point. */
class DockerfilesTest {

  /**
   * Each Dockerfile, its module, and the jar the module's build makes. The samples and demo modules
   * are written on another branch: until they are here, the jar is the agreed name, and once they
   * are, it is read from their poms like the orchestrator's.
   */
  static Stream<Arguments> images() {
    return Stream.of(
        Arguments.of("orchestrator.Dockerfile", "orchestrator", null),
        Arguments.of("samples.Dockerfile", "samples", null),
        Arguments.of("demo.Dockerfile", "demo-launcher", null));
  }

  @ParameterizedTest
  @MethodSource("images")
  void shouldBuildOnAPinnedTemurinJre(String name, String module, String agreedJar) {
    // given
    Dockerfile dockerfile = Dockerfile.read(name);

    // when
    String image = dockerfile.baseImage();

    // then a JRE image whose tag names the exact Java release, never "latest"
    assertThat(image).startsWith("eclipse-temurin:");
    String tag = image.substring("eclipse-temurin:".length());
    assertThat(tag).matches("25\\.0\\.[0-9]+_[0-9]+-jre-[a-z]+").doesNotContain("latest");
    assertThat(dockerfile.all("FROM")).hasSize(1);
  }

  @ParameterizedTest
  @MethodSource("images")
  void shouldRunAsANumericNonRootUser(String name, String module, String agreedJar) {
    // given
    Dockerfile dockerfile = Dockerfile.read(name);

    // when
    long user = dockerfile.userId();

    // then a number (Kubernetes can check runAsNonRoot against it) that is not root's
    assertThat(user).isGreaterThanOrEqualTo(1000);
  }

  @ParameterizedTest
  @MethodSource("images")
  void shouldCopyTheJarTheModulesBuildMakes(String name, String module, String agreedJar) {
    // given
    Dockerfile dockerfile = Dockerfile.read(name);
    String jar = MavenJars.jarOf(module).orElse(agreedJar);

    // when
    List<List<String>> copies = dockerfile.copies();

    // then the one file copied in is that jar
    assertThat(jar).as("the jar of module %s", module).isNotNull();
    assertThat(copies).singleElement().satisfies(copy -> assertThat(copy.get(0)).isEqualTo(jar));
  }

  @ParameterizedTest
  @MethodSource("images")
  void shouldStartTheCopiedJarWithJava(String name, String module, String agreedJar) {
    // given
    Dockerfile dockerfile = Dockerfile.read(name);
    String copiedTo = dockerfile.copies().get(0).get(1);

    // when
    List<String> entrypoint = dockerfile.entrypoint();

    // then java runs the copied jar: with -jar, or by main class for the samples
    assertThat(entrypoint.get(0)).isEqualTo("java");
    if (module.equals("samples")) {
      assertThat(entrypoint)
          .containsExactly("java", "-cp", copiedTo, "io.sagastream.samples.SampleParticipants");
    } else {
      assertThat(entrypoint).containsExactly("java", "-jar", copiedTo);
    }
  }

  @Test
  void shouldInstallTheProgramTheOrchestratorsHealthCheckCalls() {
    // given an image built on Temurin's Java 25 JRE, which carries no curl or wget
    Dockerfile dockerfile = Dockerfile.read("orchestrator.Dockerfile");
    String program = Dockerfile.execForm(dockerfile.last("HEALTHCHECK").orElseThrow()).get(0);

    // when
    List<String> runs =
        dockerfile.all("RUN").stream().map(Dockerfile.Instruction::arguments).toList();

    // then a RUN installs it
    assertThat(runs)
        .anySatisfy(
            run ->
                assertThat(run)
                    .contains("apt-get install")
                    .containsPattern("\\b" + program + "\\b"));
  }

  @Test
  void shouldCopyTheJarTheOrchestratorsShadePluginNames() {
    // given the orchestrator's pom
    // when
    String jar = MavenJars.jarOf("orchestrator").orElseThrow();

    // then it is the jar the README and the Dockerfile name
    assertThat(jar).isEqualTo("orchestrator/target/sagastream-orchestrator.jar");
  }

  @Test
  void shouldGiveTheOrchestratorImageAStateVolumeAndOnlySettingsItReads() {
    // given
    Dockerfile dockerfile = Dockerfile.read("orchestrator.Dockerfile");

    // when
    Map<String, String> environment = dockerfile.environment();
    List<String> volumes =
        dockerfile.all("VOLUME").stream().flatMap(v -> Dockerfile.execForm(v).stream()).toList();

    // then
    assertThat(environment.keySet()).allMatch(AppSettings::reads);
    assertThat(volumes).containsExactly(environment.get("SAGASTREAM_STATE_DIR"));
  }

  @Test
  void shouldExposeAndHealthCheckTheOrchestratorsHttpPort() {
    // given
    Dockerfile dockerfile = Dockerfile.read("orchestrator.Dockerfile");
    String port = dockerfile.environment().getOrDefault("MICRONAUT_SERVER_PORT", "8080");

    // when
    List<String> exposed = dockerfile.all("EXPOSE").stream().map(e -> e.arguments()).toList();
    List<String> healthCheck = Dockerfile.execForm(dockerfile.last("HEALTHCHECK").orElseThrow());

    // then
    assertThat(exposed).containsExactly(port);
    assertThat(healthCheck).contains("http://localhost:" + port + "/health/liveness");
    assertThat(OpenApi.serves("get", "/health/liveness")).isTrue();
  }
}
