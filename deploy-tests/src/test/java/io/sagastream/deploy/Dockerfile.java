package io.sagastream.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read into its instructions: enough to check one without Docker. Comments and blank
 * lines go, continuation lines join, and each instruction keeps its arguments as written.
 */
record Dockerfile(Path file, List<Instruction> instructions) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One instruction: {@code FROM}, {@code COPY}, ... and the rest of its line. */
  record Instruction(String keyword, String arguments) {}

  /** The Dockerfile {@code deploy/docker/<name>}. */
  static Dockerfile read(String name) {
    return parse(RepositoryFiles.path("deploy", "docker", name));
  }

  static Dockerfile parse(Path file) {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : RepositoryFiles.read(file).split("\n", -1)) {
      String trimmed = line.strip();
      if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (!current.isEmpty() && trimmed.startsWith("#")) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String[] parts = current.toString().strip().split("\\s+", 2);
      instructions.add(
          new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : ""));
      current.setLength(0);
    }
    return new Dockerfile(file, List.copyOf(instructions));
  }

  List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  Optional<Instruction> last(String keyword) {
    List<Instruction> found = all(keyword);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
  }

  /** The image the final stage builds on. */
  String baseImage() {
    String from = last("FROM").orElseThrow().arguments();
    return from.split("\\s+")[0];
  }

  /** The numeric user id of the last {@code USER}; fails for a name. */
  long userId() {
    String user = last("USER").orElseThrow(() -> new AssertionError("no USER")).arguments();
    String id = user.split(":")[0];
    if (!id.matches("[0-9]+")) {
      throw new AssertionError(file + ": USER " + user + " is not numeric");
    }
    return Long.parseLong(id);
  }

  /** The exec form (JSON array) of the last {@code ENTRYPOINT}. */
  List<String> entrypoint() {
    return execForm(last("ENTRYPOINT").orElseThrow(() -> new AssertionError("no ENTRYPOINT")));
  }

  /** Source and destination of each {@code COPY} that takes files from the build context. */
  List<List<String>> copies() {
    return all("COPY").stream()
        .map(Instruction::arguments)
        .filter(a -> !a.contains("--from="))
        .map(a -> List.of(a.replaceAll("--[a-z]+=\\S+\\s*", "").strip().split("\\s+")))
        .toList();
  }

  /** The variables every {@code ENV} sets, in the {@code KEY=value} form. */
  Map<String, String> environment() {
    Map<String, String> variables = new LinkedHashMap<>();
    Pattern pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)");
    for (Instruction env : all("ENV")) {
      Matcher matcher = pair.matcher(env.arguments());
      while (matcher.find()) {
        String value = matcher.group(2);
        if (value.startsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        variables.put(matcher.group(1), value);
      }
    }
    return variables;
  }

  /** The exec form of {@code instruction}, after any options such as {@code --interval=10s}. */
  static List<String> execForm(Instruction instruction) {
    String arguments = instruction.arguments();
    int array = arguments.indexOf('[');
    if (array < 0) {
      throw new AssertionError(
          instruction.keyword() + " " + arguments + " is not in exec form (a JSON array)");
    }
    try {
      return List.of(JSON.readValue(arguments.substring(array), String[].class));
    } catch (JsonProcessingException e) {
      throw new AssertionError(instruction.keyword() + " " + arguments + ": " + e.getMessage(), e);
    }
  }
}
