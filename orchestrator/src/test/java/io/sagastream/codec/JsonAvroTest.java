package io.sagastream.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class JsonAvroTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema SIGNED =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Signed", "namespace": "shop",
               "fields": [{"name": "signature", "type": "bytes"},
                          {"name": "note", "type": ["null", "bytes", "string"], "default": null}]}""");

  @Test
  void bytesAreReadFromBase64Text() throws Exception {
    // given base64 text for a bytes field
    JsonNode json = JSON.readTree("{\"signature\": \"c2lnbmVk\"}");

    // when it is read against the schema
    GenericRecord record = JsonAvro.toRecord(json, SIGNED, "data");

    // then the field holds the decoded bytes
    ByteBuffer signature = (ByteBuffer) record.get("signature");
    assertThat(StandardCharsets.UTF_8.decode(signature).toString()).isEqualTo("signed");
  }

  @Test
  void textThatIsNotBase64IsAMismatchAtItsPathAndAUnionsStringStill() throws Exception {
    // given text that is not base64 for a bytes field, and for a union of bytes and string
    JsonNode notBase64 = JSON.readTree("{\"signature\": \"12.34\"}");
    JsonNode noteAsText = JSON.readTree("{\"signature\": \"c2lnbmVk\", \"note\": \"12.34\"}");

    // when they are read, then the first is refused at the field, as any other mismatch is
    assertThatThrownBy(() -> JsonAvro.toRecord(notBase64, SIGNED, "data"))
        .isInstanceOfSatisfying(
            JsonAvro.MismatchException.class, e -> assertThat(e.path()).isEqualTo("data.signature"))
        .hasMessageContaining("base64");
    // and the second is the union's string
    assertThat(JsonAvro.toRecord(noteAsText, SIGNED, "data").get("note").toString())
        .isEqualTo("12.34");
  }

  @Test
  void textThatHappensToBeBase64IsAUnionsStringNotItsBytes() throws Exception {
    // given words that are valid base64 for a union of bytes and string, bytes declared first
    JsonNode json = JSON.readTree("{\"signature\": \"c2lnbmVk\", \"note\": \"John\"}");

    // when it is read
    Object note = JsonAvro.toRecord(json, SIGNED, "data").get("note");

    // then the note is the text as written
    assertThat(note).isInstanceOf(CharSequence.class);
    assertThat(note.toString()).isEqualTo("John");
  }

  @Test
  void aWholeNumberIsAUnionsLongNotItsFloatOrDouble() throws Exception {
    // given a union that declares float and double before long
    Schema schema =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "Amount", "namespace": "shop",
                 "fields": [{"name": "value", "type": ["float", "double", "long"]}]}""");

    // when a large whole number and a fraction are read
    Object whole =
        JsonAvro.toRecord(JSON.readTree("{\"value\": 12345678901234567}"), schema, "d")
            .get("value");
    Object fraction =
        JsonAvro.toRecord(JSON.readTree("{\"value\": 0.1}"), schema, "d").get("value");

    // then the whole number keeps every digit and the fraction is a double
    assertThat(whole).isEqualTo(12345678901234567L);
    assertThat(fraction).isEqualTo(0.1d);
  }

  @Test
  void dataShownAsJsonReadsBackAsTheSameData() throws Exception {
    // given a record with bytes that are not text, and a union holding a string
    Schema schema =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "Signed", "namespace": "shop",
                 "fields": [{"name": "signature", "type": "bytes"},
                            {"name": "note", "type": ["null", "bytes", "string"]},
                            {"name": "tags", "type": {"type": "array", "items": "string"}},
                            {"name": "scores", "type": {"type": "map", "values": "double"}},
                            {"name": "count", "type": "long"}]}""");
    GenericRecord original =
        JsonAvro.toRecord(
            JSON.readTree(
                "{\"signature\": \"AP8Qgw==\", \"note\": \"paid\", \"tags\": [\"a\"],"
                    + " \"scores\": {\"x\": 1.5}, \"count\": 9007199254740993}"),
            schema,
            "data");

    // when it is shown as JSON
    JsonNode shown = JsonAvro.toJson(original);

    // then the bytes are the base64 they were given as, and the JSON reads back as the same record
    assertThat(shown.get("signature").asText()).isEqualTo("AP8Qgw==");
    assertThat(shown.get("note").asText()).isEqualTo("paid");
    assertThat(shown.get("count").asLong()).isEqualTo(9007199254740993L);
    assertThat(JsonAvro.toRecord(shown, schema, "data")).isEqualTo(original);
  }
}
