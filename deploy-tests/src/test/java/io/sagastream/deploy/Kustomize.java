package io.sagastream.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Renders a kustomization with the real kustomize: {@code kustomize build} or, where only kubectl
 * is installed, {@code kubectl kustomize} (kubectl carries kustomize). Each directory is rendered
 * once per test run.
 */
final class Kustomize {

  private static final Map<Path, List<HasMetadata>> RENDERED = new ConcurrentHashMap<>();

  private Kustomize() {}

  /** The objects {@code deploy/<directory>} renders to, read with the strict typed model. */
  static List<HasMetadata> render(String directory) {
    Path path = RepositoryFiles.path("deploy", directory);
    return RENDERED.computeIfAbsent(
        path, p -> KubernetesYaml.read(build(p), "kustomize build deploy/" + directory));
  }

  private static String build(Path directory) {
    List<String> command =
        executable("kustomize")
            .map(kustomize -> List.of(kustomize.toString(), "build", directory.toString()))
            .or(
                () ->
                    executable("kubectl")
                        .map(
                            kubectl ->
                                List.of(kubectl.toString(), "kustomize", directory.toString())))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "Neither kustomize nor kubectl is on the PATH; the overlays cannot be"
                            + " rendered. Install kubectl (it carries kustomize) or kustomize."));
    try {
      Path output = Files.createTempFile("kustomize", ".yaml");
      Path errors = Files.createTempFile("kustomize", ".err");
      try {
        Process process =
            new ProcessBuilder(command)
                .redirectOutput(output.toFile())
                .redirectError(errors.toFile())
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(String.join(" ", command) + " took over 120 s");
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException(
              String.join(" ", command)
                  + " failed ("
                  + process.exitValue()
                  + "): "
                  + Files.readString(errors, StandardCharsets.UTF_8));
        }
        return Files.readString(output, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(output);
        Files.deleteIfExists(errors);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running " + command, e);
    }
  }

  private static Optional<Path> executable(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Stream.of(path.split(File.pathSeparator))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
