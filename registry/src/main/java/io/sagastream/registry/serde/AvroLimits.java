package io.sagastream.registry.serde;

import java.lang.reflect.Method;
import org.apache.avro.SystemLimitException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps on what an Avro body may declare. Avro allocates what a string's or bytes' length, or an
 * array's or map's item count, declares before it reads them, up to about 2^31 by default: a few
 * bytes of a bad record asked for gigabytes, and the {@code OutOfMemoryError} passed every handler
 * (or, with {@code -XX:+ExitOnOutOfMemoryError}, ended the JVM) on the same record again and again.
 * Under these caps such a body is a {@code SystemLimitException}, read as a corrupt body. A Kafka
 * record stays far below them, so no real record is refused. Limits set on the command line win.
 */
public final class AvroLimits {

  /** The longest string or bytes value a body may declare: 64 MiB. */
  public static final int LONGEST_STRING_OR_BYTES = 64 * 1024 * 1024;

  /** The most items an array or map may declare: ten million. */
  public static final int MOST_ITEMS = 10_000_000;

  private static final Logger LOG = LoggerFactory.getLogger(AvroLimits.class);

  private static volatile boolean installed;

  private AvroLimits() {}

  /** Sets the caps (where not set already) and makes Avro read them again. Idempotent. */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    setIfAbsent(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, LONGEST_STRING_OR_BYTES);
    setIfAbsent(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, LONGEST_STRING_OR_BYTES);
    setIfAbsent(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, MOST_ITEMS);
    try {
      // Avro reads the properties once, when the class loads, which may have happened already.
      Method reset = SystemLimitException.class.getDeclaredMethod("resetLimits");
      reset.setAccessible(true);
      reset.invoke(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn(
          "Cannot make Avro read its limits again ({}); they apply only if set before Avro loaded,"
              + " as with -D{}={}",
          e.toString(),
          SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY,
          MOST_ITEMS);
    }
    installed = true;
  }

  private static void setIfAbsent(String property, int limit) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, Integer.toString(limit));
    }
  }
}
