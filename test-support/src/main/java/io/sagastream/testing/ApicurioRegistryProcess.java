package io.sagastream.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apicurio Registry (in-memory storage) as a child process, from its distribution on Maven
 * Central, serving the Confluent API under {@code /apis/ccompat/v7} on a free loopback port. Its
 * management port (3.x) is on loopback too. The global compatibility is set to BACKWARD,
 * Confluent's default, since Apicurio's is NONE. The process stops when this object closes, and by
 * itself if the test JVM dies first.
 */
public final class ApicurioRegistryProcess implements SchemaRegistryServer {

  /** System property with the path of the distribution archive (Maven sets it for tests). */
  public static final String DISTRIBUTION_PROPERTY = "sagastream.apicurio.distribution";

  /** System property with the distribution's version. */
  public static final String VERSION_PROPERTY = "sagastream.apicurio.version";

  private static final Logger LOG = LoggerFactory.getLogger(ApicurioRegistryProcess.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(180);
  private static final String CCOMPAT_PATH = "/apis/ccompat/v7";

  private final Process process;
  private final String url;
  private final String version;
  private final Path log;

  private ApicurioRegistryProcess(Process process, String url, String version, Path log) {
    this.process = process;
    this.url = url;
    this.version = version;
    this.log = log;
  }

  /** Starts the distribution named by the system properties that the Maven build sets. */
  public static ApicurioRegistryProcess start() {
    String archive = System.getProperty(DISTRIBUTION_PROPERTY);
    String version = System.getProperty(VERSION_PROPERTY);
    if (archive == null || version == null) {
      throw new IllegalStateException(
          "No Apicurio Registry distribution given: run the tests through Maven (which sets "
              + DISTRIBUTION_PROPERTY
              + " and "
              + VERSION_PROPERTY
              + "), or point SCHEMA_REGISTRY_URL at a running registry");
    }
    return start(Path.of(archive), version);
  }

  public static ApicurioRegistryProcess start(Path archive, String version) {
    int javaVersion = Runtime.version().feature();
    if (version.startsWith("3.") && javaVersion < 21) {
      throw new IllegalStateException(
          "Apicurio Registry "
              + version
              + " needs Java 21 or newer and this JVM is "
              + javaVersion
              + "; the Maven build picks 2.6.x on Java 17");
    }
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException(
          "Apicurio Registry distribution not found at "
              + archive
              + "; Maven downloads it as a test"
              + " dependency (io.apicurio:apicurio-registry-app:"
              + version
              + ":tar.gz:all)");
    }
    long started = System.nanoTime();
    Path home = unpackOnce(archive, version);
    Path launcher = findLauncher(home);
    int httpPort = LoopbackPorts.free();
    int managementPort = LoopbackPorts.free();
    Path log = logFile(httpPort);
    List<String> java =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dquarkus.http.host=127.0.0.1",
            "-Dquarkus.http.port=" + httpPort,
            "-Dquarkus.management.host=127.0.0.1",
            "-Dquarkus.management.port=" + managementPort,
            "-Dquarkus.log.console.level=WARN",
            "-jar",
            launcher.toString());
    ProcessBuilder builder =
        new ProcessBuilder(withWatchdog(java))
            .directory(launcher.getParent().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start Apicurio Registry " + version + ": " + e, e);
    }
    String base = "http://127.0.0.1:" + httpPort + CCOMPAT_PATH;
    ApicurioRegistryProcess registry = new ApicurioRegistryProcess(process, base, version, log);
    try {
      registry.awaitReady();
      registry.put("/config", "{\"compatibility\":\"BACKWARD\"}");
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
    LOG.info("Started {} in {} ms", registry.describe(), (System.nanoTime() - started) / 1_000_000);
    return registry;
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public String describe() {
    return "Apicurio Registry " + version + " at " + url + " (log: " + log + ")";
  }

  /** The registry's process and its children (the watchdog shell and the JVM). */
  public java.util.Set<Long> processIds() {
    java.util.Set<Long> ids = new java.util.TreeSet<>();
    ids.add(process.pid());
    process.descendants().forEach(child -> ids.add(child.pid()));
    return ids;
  }

  @Override
  public void close() {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroy);
    for (ProcessHandle handle : all) {
      try {
        handle.onExit().get(15, TimeUnit.SECONDS);
      } catch (Exception e) {
        handle.destroyForcibly();
      }
    }
  }

  /**
   * Wraps the command in a shell that also watches this JVM: when the JVM is gone (even killed with
   * -9), the registry is stopped, so no test run leaves a server behind.
   */
  private static List<String> withWatchdog(List<String> command) {
    long parent = ProcessHandle.current().pid();
    StringBuilder quoted = new StringBuilder();
    for (String part : command) {
      quoted.append('\'').append(part.replace("'", "'\\''")).append("' ");
    }
    String script =
        quoted
            + "& child=$!; "
            + "trap 'kill $child 2>/dev/null' TERM INT; "
            + "(while kill -0 "
            + parent
            + " 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done; "
            + "kill $child 2>/dev/null) & "
            + "wait $child";
    return List.of("/bin/sh", "-c", script);
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    String lastProblem = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Apicurio Registry "
                + version
                + " exited with "
                + process.exitValue()
                + ":\n"
                + logTail());
      }
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create(url + "/subjects"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        lastProblem = "GET /subjects answered " + response.statusCode();
      } catch (IOException e) {
        lastProblem = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for Apicurio Registry", e);
      }
      sleep(250);
    }
    throw new IllegalStateException(
        "Apicurio Registry "
            + version
            + " not ready within "
            + STARTUP_TIMEOUT.toSeconds()
            + " s ("
            + lastProblem
            + "):\n"
            + logTail());
  }

  private void put(String path, String json) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url + path))
                      .timeout(Duration.ofSeconds(10))
                      .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                      .PUT(HttpRequest.BodyPublishers.ofString(json))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "Apicurio refused PUT " + path + ": " + response.statusCode() + " " + response.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException("Apicurio did not answer PUT " + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted during PUT " + path, e);
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Unpacks the archive once per machine and version; concurrent test JVMs wait for each other. */
  @SuppressWarnings("try")
  private static Path unpackOnce(Path archive, String version) {
    Path root = Path.of(System.getProperty("java.io.tmpdir"), "sagastream-apicurio");
    Path home = root.resolve(version);
    Path done = home.resolve(".unpacked");
    try {
      Files.createDirectories(root);
      try (FileChannel channel =
              FileChannel.open(
                  root.resolve(version + ".lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        if (!Files.exists(done)) {
          deleteTree(home);
          Files.createDirectories(home);
          Process tar =
              new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", home.toString())
                  .redirectErrorStream(true)
                  .start();
          String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          if (tar.waitFor() != 0) {
            throw new IllegalStateException("Cannot unpack " + archive + ": " + output);
          }
          Files.writeString(done, archive.toString());
        }
      }
      return home;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot unpack " + archive + " into " + home + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while unpacking " + archive, e);
    }
  }

  /**
   * 2.x ships {@code *-runner.jar} beside {@code lib/}; 3.x ships Quarkus' {@code quarkus-run.jar}.
   */
  private static Path findLauncher(Path home) {
    try (Stream<Path> files = Files.walk(home, 4)) {
      return files
          .filter(
              f -> {
                String name = f.getFileName().toString();
                return name.equals("quarkus-run.jar") || name.endsWith("-runner.jar");
              })
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "No quarkus-run.jar or *-runner.jar in the distribution at " + home));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + home + ": " + e, e);
    }
  }

  private static Path logFile(int port) {
    Path dir =
        Files.isDirectory(Path.of("target"))
            ? Path.of("target")
            : Path.of(System.getProperty("java.io.tmpdir"));
    return dir.toAbsolutePath().resolve("apicurio-" + port + ".log");
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }
}
