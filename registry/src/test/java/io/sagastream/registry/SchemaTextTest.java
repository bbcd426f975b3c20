package io.sagastream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagastream.registry.testing.OrderPlaced;
import java.io.IOException;
import java.io.InputStream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class SchemaTextTest {

  @Test
  void aGeneratedClassAndItsAvscFileHaveOneCanonicalText() throws IOException {
    // given the schema of a generated class (which carries avro.java.string hints)
    Schema fromClass = OrderPlaced.getClassSchema();
    assertThat(fromClass.toString()).contains("avro.java.string");

    // and the same schema read from its file, pretty-printed differently
    Schema fromFile;
    try (InputStream in = getClass().getResourceAsStream("/OrderPlaced.avsc")) {
      fromFile = new Schema.Parser().parse(in);
    }

    // then both canonicalize to the same text, without the Java-only hint
    assertThat(SchemaText.canonical(fromClass))
        .isEqualTo(SchemaText.canonical(fromFile))
        .doesNotContain("avro.java.string")
        .doesNotContain("\n");
  }

  @Test
  void canonicalTextParsesBackToAnEqualSchema() {
    Schema original = OrderPlaced.getClassSchema();

    Schema reparsed = SchemaText.parse(SchemaText.canonical(original));

    assertThat(reparsed.getFields()).hasSameSizeAs(original.getFields());
    assertThat(reparsed.getField("note").defaultVal())
        .isEqualTo(original.getField("note").defaultVal());
  }

  @Test
  void aDefaultThatDoesNotFitItsTypeIsRefused() {
    String bad =
        "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"n\",\"type\":\"int\",\"default\":\"x\"}]}";

    assertThatThrownBy(() -> SchemaText.parse(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Not a valid Avro schema");
  }
}
