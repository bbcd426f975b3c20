package io.sagastream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.sagastream.definition.RegistrySchemaResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The definitions Job's script, run here against a stand-in for curl that gives the API's answers
 * in turn: what it tries again, and what fails it at once.
 */
class DefinitionsJobTest {

  @TempDir Path work;
  private Path answers;
  private JobScript script;

  @BeforeEach
  void givenTheJobWithOneDocumentAndAStandInForCurl() throws IOException {
    Job job =
        Manifests.one(Kustomize.render("overlays/production"), Job.class, "sagastream-definitions");
    Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    List<String> command = container.getCommand();
    Path documents = Files.createDirectories(work.resolve("definitions"));
    Files.writeString(documents.resolve("order.json"), "{\"name\": \"order\"}");
    script = new JobScript(command.get(command.size() - 1)).with("/definitions/", documents + "/");
    answers = Files.createDirectories(work.resolve("answers"));
    Path curl = Files.createDirectories(work.resolve("bin")).resolve("curl");
    // Each call answers with the next file: a body, a line break and a status; none left, no
    // connection (curl's 000 and exit code 7).
    Files.writeString(
        curl,
        """
        #!/bin/sh
        n=$(( $(cat %1$s/calls 2>/dev/null || echo 0) + 1 ))
        echo "$n" > %1$s/calls
        if [ -f %1$s/$n ]; then cat %1$s/$n; else printf '\\n000'; exit 7; fi
        """
            .formatted(answers));
    assertThat(curl.toFile().setExecutable(true)).isTrue();
  }

  private void answers(String... statusAndBody) throws IOException {
    for (int i = 0; i < statusAndBody.length; i++) {
      String[] parts = statusAndBody[i].split(" ", 2);
      Files.writeString(answers.resolve(String.valueOf(i + 1)), parts[1] + "\n" + parts[0]);
    }
  }

  private JobScript.Run runJob() throws IOException, InterruptedException {
    return script.run(
        Map.of("ORCHESTRATOR_URL", "http://sagastream:8080", "DEPLOY_RETRY_DELAY", "0"),
        work.resolve("bin"));
  }

  private int calls() throws IOException {
    return Integer.parseInt(Files.readString(answers.resolve("calls")).strip());
  }

  @Test
  void triesAgainWhileNoNodeIsReadyOrTheRegistryLacksASchemaThenDeploys() throws Exception {
    // given no answer, a node not ready, then a schema not registered yet, then the deploy
    answers(
        "000 ",
        "503 {\"message\": \"the node is not ready to answer\"}",
        "400 {\"message\": \"subject 'order-value' "
            + RegistrySchemaResolver.NOT_IN_REGISTRY
            + " (not found)\"}",
        "201 {\"name\": \"order\", \"version\": 1}");

    // when
    JobScript.Run run = runJob();

    // then it tried four times and deployed
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(calls()).isEqualTo(4);
    assertThat(run.output()).contains("\"version\": 1");
  }

  @Test
  void failsAtOnceWithTheApisReasonForADocumentItRefuses() throws Exception {
    // given
    answers("400 {\"message\": \"steps[0].command.topic is not a topic name\"}");

    // when
    JobScript.Run run = runJob();

    // then
    assertThat(run.exitCode()).isNotZero();
    assertThat(calls()).isOne();
    assertThat(run.output()).contains("Refused (400)").contains("steps[0].command.topic");
  }

  @Test
  void failsAtOnceWhenTheApiRefusesItsToken() throws Exception {
    answers("401 {\"message\": \"unauthorized\"}");

    JobScript.Run run = runJob();

    assertThat(run.exitCode()).isNotZero();
    assertThat(calls()).isOne();
    assertThat(run.output()).contains("Refused (401)");
  }

  @Test
  void givesUpAfterItsTriesWhenNoNodeEverAnswers() throws Exception {
    // given no answer at all, and three tries
    JobScript.Run run =
        script.run(
            Map.of(
                "ORCHESTRATOR_URL", "http://sagastream:8080",
                "DEPLOY_RETRY_DELAY", "0",
                "DEPLOY_TRIES", "3"),
            work.resolve("bin"));

    // then
    assertThat(run.exitCode()).isNotZero();
    assertThat(calls()).isEqualTo(3);
    assertThat(run.output()).contains("Gave up after 3 tries (000)");
  }
}
