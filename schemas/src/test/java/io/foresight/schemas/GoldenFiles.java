package io.foresight.schemas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.specific.SpecificRecord;

/** Writes the golden files; run by hand after a deliberate wire format change. */
final class GoldenFiles {
  private GoldenFiles() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "schemas/src/test/resources/golden");
    Files.createDirectories(dir);
    for (SpecificRecord r : Examples.all()) {
      AvroCodec codec = AvroCodec.of(r.getClass());
      Files.write(dir.resolve(r.getSchema().getName() + ".bin"), codec.encode(r));
      System.out.printf(
          "%-14s fingerprint %016X header %s%n",
          r.getSchema().getName(),
          codec.fingerprint(),
          java.util.HexFormat.ofDelimiter(" ").formatHex(AvroCodec.header(codec.schema())));
    }
  }
}
