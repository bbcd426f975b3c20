package io.sagastream.app.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The HTTP basic users from configuration: entries {@code name:hash:role[,role]}, the hash as
 * {@link PasswordHashes} reads it. Anything wrong is refused at start-up with the entry's user
 * named, and never the hash.
 */
public final class BasicUsers {

  /** A user: name, password hash, and the roles it was given. */
  public record User(String name, String hash, Set<String> roles) {
    @Override
    public String toString() {
      return "User[" + name + ", roles=" + roles + "]";
    }
  }

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]+");
  private static final Pattern SEPARATORS = Pattern.compile("[\\s;]+");

  private final Map<String, User> users;

  private BasicUsers(Map<String, User> users) {
    this.users = Map.copyOf(users);
  }

  /**
   * The users of the {@code users} setting and of the file {@code userFile} (either may be blank).
   */
  public static BasicUsers of(String users, String userFile) {
    Map<String, User> read = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    readEntries(
        users == null ? List.of() : List.of(SEPARATORS.split(users.strip())),
        "sagastream.security.users",
        read,
        problems);
    if (userFile != null && !userFile.isBlank()) {
      try {
        List<String> lines =
            Files.readAllLines(Path.of(userFile)).stream()
                .map(String::strip)
                .filter(line -> !line.startsWith("#"))
                .flatMap(line -> List.of(SEPARATORS.split(line)).stream())
                .toList();
        readEntries(lines, "sagastream.security.user-file " + userFile, read, problems);
      } catch (IOException e) {
        problems.add("sagastream.security.user-file: cannot read " + userFile + ": " + e);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "HTTP basic users are misconfigured: " + String.join("; ", problems));
    }
    return new BasicUsers(read);
  }

  private static void readEntries(
      List<String> entries, String source, Map<String, User> read, List<String> problems) {
    int index = 0;
    for (String entry : entries) {
      if (entry.isBlank()) {
        continue;
      }
      index++;
      String[] parts = entry.split(":", -1);
      String at = source + " entry " + index;
      if (parts.length != 3) {
        problems.add(at + " must be name:hash:role[,role]");
        continue;
      }
      String name = parts[0];
      if (!NAME.matcher(name).matches()) {
        problems.add(at + ": the name must be letters, digits and . _ @ -");
        continue;
      }
      String problem = PasswordHashes.problem(parts[1]);
      if (problem != null) {
        problems.add(at + " (" + name + "): " + problem);
        continue;
      }
      List<String> roles = List.of(parts[2].split(","));
      List<String> unknown = roles.stream().filter(r -> Role.of(r).isEmpty()).toList();
      if (roles.isEmpty() || !unknown.isEmpty()) {
        problems.add(
            at + " (" + name + "): roles must be viewer, operator or admin, not " + unknown);
        continue;
      }
      if (read.containsKey(name)) {
        problems.add(at + ": user " + name + " is configured twice");
        continue;
      }
      read.put(name, new User(name, parts[1], Set.copyOf(roles)));
    }
  }

  public Optional<User> user(String name) {
    return Optional.ofNullable(users.get(name));
  }

  public int size() {
    return users.size();
  }
}
