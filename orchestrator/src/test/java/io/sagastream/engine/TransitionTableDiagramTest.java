package io.sagastream.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Renders the engine's transition table as docs/engine-transitions.md (a Mermaid state diagram and
 * the full table) and fails when the committed file differs, so the picture cannot drift from the
 * code. After changing the table: {@code ./mvnw -pl orchestrator test
 * -Dsagastream.regenerateDocs=true}.
 */
class TransitionTableDiagramTest {

  private static final Path DOC = Path.of("..", "docs", "engine-transitions.md");

  @Test
  void theCommittedDiagramMatchesTheTransitionTable() throws IOException {
    String rendered = render();
    if (Boolean.getBoolean("sagastream.regenerateDocs")) {
      Files.writeString(DOC, rendered);
    }
    Path fresh = Path.of("target", "engine-transitions.md");
    Files.createDirectories(fresh.getParent());
    Files.writeString(fresh, rendered);

    assertThat(DOC)
        .as(
            "docs/engine-transitions.md is out of date: compare with orchestrator/%s, or run"
                + " ./mvnw -pl orchestrator test -Dsagastream.regenerateDocs=true",
            fresh)
        .exists()
        .content()
        .isEqualTo(rendered);
  }

  @Test
  void everyStatusIsReachableAndEveryNonTerminalStatusCanBeLeft() {
    Set<SagaStatus> reached = EnumSet.noneOf(SagaStatus.class);
    Set<SagaStatus> left = EnumSet.noneOf(SagaStatus.class);
    for (TransitionTable.Row row : TransitionTable.rows()) {
      if (row.stays()) {
        continue;
      }
      reached.addAll(row.to());
      for (SagaStatus from : row.from()) {
        if (row.to().stream().anyMatch(to -> to != from)) {
          left.add(from);
        }
      }
    }
    assertThat(reached).containsAll(EnumSet.allOf(SagaStatus.class));
    assertThat(left)
        .contains(
            SagaStatus.RUNNING, SagaStatus.WAITING, SagaStatus.COMPENSATING, SagaStatus.FAILED);
  }

  static String render() {
    StringBuilder out = new StringBuilder();
    out.append("# Saga engine transitions\n\n")
        .append(
            "Generated from `TransitionTable` by `TransitionTableDiagramTest`; do not edit by hand.")
        .append(" The first rule whose status, command and guard match decides.\n\n")
        .append("```mermaid\nstateDiagram-v2\n");
    Set<String> edges = new LinkedHashSet<>();
    for (TransitionTable.Row row : TransitionTable.rows()) {
      if (row.stays()) {
        continue;
      }
      Set<String> froms =
          row.from().isEmpty()
              ? Set.of("[*]")
              : row.from().stream()
                  .sorted()
                  .map(Enum::name)
                  .collect(Collectors.toCollection(LinkedHashSet::new));
      for (String from : froms) {
        for (SagaStatus to : row.to().stream().sorted().toList()) {
          if (!from.equals(to.name())) {
            edges.add(
                "    " + from + " --> " + to + " : " + row.command() + " [" + row.guard() + "]");
          }
        }
      }
    }
    edges.forEach(edge -> out.append(edge).append('\n'));
    out.append("    COMPLETED --> [*]\n    COMPENSATED --> [*]\n```\n\n");
    out.append("| from | command | guard | to | effects |\n|---|---|---|---|---|\n");
    for (TransitionTable.Row row : TransitionTable.rows()) {
      out.append("| ")
          .append(statuses(row.from(), "no instance"))
          .append(" | ")
          .append(row.command())
          .append(" | ")
          .append(row.guard())
          .append(" | ")
          .append(row.stays() ? "(unchanged)" : statuses(row.to(), "no instance"))
          .append(" | ")
          .append(row.effects())
          .append(" |\n");
    }
    return out.toString();
  }

  private static String statuses(Set<SagaStatus> statuses, String none) {
    if (statuses.isEmpty()) {
      return none;
    }
    if (statuses.containsAll(EnumSet.allOf(SagaStatus.class))) {
      return "any";
    }
    return statuses.stream().sorted().map(Enum::name).collect(Collectors.joining(", "));
  }
}
