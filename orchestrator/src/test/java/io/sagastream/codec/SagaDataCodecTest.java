package io.sagastream.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class SagaDataCodecTest {

  private static final Schema DATA =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "OrderData", "namespace": "shop",
               "fields": [{"name": "orderId", "type": "string"},
                          {"name": "amount", "type": "long"},
                          {"name": "reservationId", "type": ["null", "string"], "default": null}]}""");

  @Test
  void aCommandIsTheDataReadWithTheCommandsSchema() {
    // given saga data, and a command schema with another name, one shared field and a defaulted one
    byte[] data = SagaDataCodec.encode(DATA, order("o-1", 1999, null));
    Schema reserve =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "ReserveInventory", "namespace": "inventory",
                 "fields": [{"name": "orderId", "type": "string"},
                            {"name": "warehouse", "type": "string", "default": "main"}]}""");

    // when
    GenericRecord command = SagaDataCodec.command(data, DATA, reserve);

    // then
    assertThat(command.get("orderId").toString()).isEqualTo("o-1");
    assertThat(command.get("warehouse").toString()).isEqualTo("main");
    assertThat(command.getSchema().getField("amount")).isNull();
  }

  @Test
  void aReplysFieldsAreWrittenOverTheDataFieldsOfTheSameName() {
    // given
    byte[] data = SagaDataCodec.encode(DATA, order("o-1", 1999, null));
    Schema reservedSchema =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "Reserved", "namespace": "inventory",
                 "fields": [{"name": "reservationId", "type": "string"},
                            {"name": "amount", "type": "int"},
                            {"name": "warehouse", "type": "string"}]}""");
    GenericRecord reserved = new GenericData.Record(reservedSchema);
    reserved.put("reservationId", "r-77");
    reserved.put("amount", 2000);
    reserved.put("warehouse", "north");

    // when
    byte[] merged = SagaDataCodec.merge(data, DATA, reserved);

    // then the shared fields changed (the int widened to the data's long), the rest stayed
    GenericRecord after = SagaDataCodec.decode(merged, DATA, DATA);
    assertThat(after.get("orderId").toString()).isEqualTo("o-1");
    assertThat(after.get("amount")).isEqualTo(2000L);
    assertThat(after.get("reservationId").toString()).isEqualTo("r-77");
  }

  private static GenericRecord order(String id, long amount, String reservation) {
    GenericRecord record = new GenericData.Record(DATA);
    record.put("orderId", id);
    record.put("amount", amount);
    record.put("reservationId", reservation);
    return record;
  }
}
