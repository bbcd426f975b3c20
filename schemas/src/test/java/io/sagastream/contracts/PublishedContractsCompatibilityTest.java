package io.sagastream.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fails the build when a change to a contract could not read what a published version wrote. To
 * publish a release's contracts, copy {@code src/main/avro} to {@code published/<release>}.
 */
class PublishedContractsCompatibilityTest {

  private static final Path SOURCE = Path.of(System.getProperty("sagastream.contracts.source"));
  private static final Path PUBLISHED =
      Path.of(System.getProperty("sagastream.contracts.published"));

  @TestFactory
  Stream<DynamicTest> currentContractsReadEveryPublishedVersion() throws IOException {
    ContractSet current = ContractSet.parse("current", SOURCE);
    List<Path> releases;
    try (Stream<Path> dirs = Files.list(PUBLISHED)) {
      releases = dirs.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(releases).as("published contract versions under %s", PUBLISHED).isNotEmpty();
    return releases.stream()
        .map(
            release ->
                DynamicTest.dynamicTest(
                    "reads data written with " + release.getFileName(),
                    () -> {
                      ContractSet published =
                          ContractSet.parse(release.getFileName().toString(), release);
                      assertThat(published.contractsByFullName()).isNotEmpty();
                      assertThat(BackwardCompatibility.problems(current, published)).isEmpty();
                    }));
  }

  @Test
  void aNewFieldWithoutDefaultIsReportedAsIncompatible(@TempDir Path changed) throws IOException {
    // given the current contracts, with one required field added to SagaRequest
    copyTree(SOURCE, changed);
    Path request = changed.resolve("SagaRequest.avsc");
    Files.writeString(
        request,
        Files.readString(request)
            .replaceFirst(
                "\"fields\": \\[", "\"fields\": [{\"name\": \"tenant\", \"type\": \"string\"},"));

    // when checked against the contracts as they are now
    List<String> problems =
        BackwardCompatibility.problems(
            ContractSet.parse("changed", changed), ContractSet.parse("current", SOURCE));

    // then the check names the contract and the missing default
    assertThat(problems)
        .singleElement()
        .asString()
        .contains("io.sagastream.contracts.v1.SagaRequest")
        .contains("READER_FIELD_MISSING_DEFAULT")
        .contains("tenant");
  }

  @Test
  void aRemovedContractIsReported(@TempDir Path changed) throws IOException {
    // given the current contracts without the dead-letter record
    copyTree(SOURCE, changed);
    Files.delete(changed.resolve("DeadLetterMetadata.avsc"));

    // when checked against the contracts as they are now
    List<String> problems =
        BackwardCompatibility.problems(
            ContractSet.parse("changed", changed), ContractSet.parse("current", SOURCE));

    // then
    assertThat(problems)
        .containsExactly(
            "io.sagastream.contracts.v1.DeadLetterMetadata was published in current and is gone");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }
}
