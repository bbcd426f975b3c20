package io.sagastream.contracts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/**
 * The contracts in one directory laid out like {@code src/main/avro}: shared named types under
 * {@code common/}, parsed first, and one top-level contract per file beside it.
 */
record ContractSet(String label, Map<String, Schema> contractsByFullName) {

  static ContractSet parse(String label, Path directory) {
    Schema.Parser parser = new Schema.Parser();
    avscFiles(directory.resolve("common")).forEach(file -> parseFile(parser, file));
    Map<String, Schema> contracts = new TreeMap<>();
    for (Path file : avscFiles(directory)) {
      Schema schema = parseFile(parser, file);
      contracts.put(schema.getFullName(), schema);
    }
    return new ContractSet(label, contracts);
  }

  private static List<Path> avscFiles(Path directory) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Schema parseFile(Schema.Parser parser, Path file) {
    try {
      return parser.parse(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read contract " + file, e);
    }
  }
}
