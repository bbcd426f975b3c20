package io.sagastream.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's files: deploy/, docker-compose.yml and the modules' poms. */
final class RepositoryFiles {

  private RepositoryFiles() {}

  /** The repository root, as the build names it (the module's parent directory). */
  static Path root() {
    String configured = System.getProperty("sagastream.root");
    Path root = configured != null ? Path.of(configured) : Path.of("..");
    return root.toAbsolutePath().normalize();
  }

  static Path path(String first, String... more) {
    return root().resolve(Path.of(first, more));
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  /** {@code file} relative to the root, for messages. */
  static String relative(Path file) {
    return root().relativize(file.toAbsolutePath().normalize()).toString();
  }
}
