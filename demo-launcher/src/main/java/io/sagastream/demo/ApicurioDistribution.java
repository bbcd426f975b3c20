package io.sagastream.demo;

import io.sagastream.testing.ApicurioRegistryProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Finds the Apicurio Registry distribution (a tar.gz from Maven Central) for the demo to start: the
 * one named by the system properties the test build sets, else the one the build copied beside the
 * jar ({@code demo-launcher/target/apicurio/}), else the one in the local Maven repository.
 */
public record ApicurioDistribution(Path archive, String version) {

  private static final String BUILD_PROPERTIES = "/demo-build.properties";

  public static ApicurioDistribution find() {
    String archive = System.getProperty(ApicurioRegistryProcess.DISTRIBUTION_PROPERTY);
    String version = System.getProperty(ApicurioRegistryProcess.VERSION_PROPERTY);
    if (archive != null && version != null) {
      return new ApicurioDistribution(Path.of(archive), version);
    }
    String built = builtVersion();
    String file = "apicurio-registry-app-" + built + "-all.tar.gz";
    List<Path> candidates = new ArrayList<>();
    besideTheJar().ifPresent(dir -> candidates.add(dir.resolve("apicurio").resolve(file)));
    candidates.add(
        Path.of(
            System.getProperty("user.home"),
            ".m2",
            "repository",
            "io",
            "apicurio",
            "apicurio-registry-app",
            built,
            file));
    return candidates.stream()
        .filter(Files::isRegularFile)
        .findFirst()
        .map(path -> new ApicurioDistribution(path, built))
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "No Apicurio Registry distribution found at "
                        + candidates
                        + "; build the demo with ./demo (or ./mvnw -pl demo -am package), or give"
                        + " --registry the URL of a running registry"));
  }

  /** The version the build copied, as the build wrote it down. */
  private static String builtVersion() {
    try (InputStream in = ApicurioDistribution.class.getResourceAsStream(BUILD_PROPERTIES)) {
      if (in == null) {
        throw new IllegalStateException(
            BUILD_PROPERTIES + " is missing: build the demo with Maven");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("apicurio.version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The directory holding the demo's jar (or its classes directory): demo-launcher/target. */
  private static java.util.Optional<Path> besideTheJar() {
    try {
      Path location =
          Path.of(
              ApicurioDistribution.class
                  .getProtectionDomain()
                  .getCodeSource()
                  .getLocation()
                  .toURI());
      return java.util.Optional.ofNullable(location.getParent());
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      return java.util.Optional.empty();
    }
  }
}
