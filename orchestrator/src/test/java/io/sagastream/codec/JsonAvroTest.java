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
  void textThatIsNotBase64IsAMismatchAtItsPathAndAUnionTriesItsNextBranch() throws Exception {
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
}
