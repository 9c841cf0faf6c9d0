package io.memjcache.internal.tls;

import static io.memjcache.internal.client.MemcachedClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.TlsSettings;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.client.StoreMode;
import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.MemcachedTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The framing rule of {@link PipelinedStorageGuard}, read off the wire: between the client and
 * memcached 1.6.18 a relay records the length of every TLS record the client sends. A batch of
 * frames of many sizes must arrive in records of at most 15.5 KB that never split a frame, except
 * frames larger than a record, which start a record and end their last one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@MemcachedTest(options = TlsTesting.TlsServer.class)
class RecordFramingIT {
  private static final int APPLICATION_DATA = 23;
  private static final int LIMIT = PipelinedStorageGuard.MAX_RECORD_PLAINTEXT;
  private static final int[] SIZES = {0, 10, 100, 1000, 4000, 9000, 15_000, 15_840, 17_000, 40_000, 1_000_000, 50};

  @AfterEach
  void restoreGuard() {
    PipelinedStorageGuard.enabled = true;
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void batchOfMixedSizes_isFramedInWholeFrames(TlsSettings.Engine engine, MemcachedServer server) throws Exception {
    assertFraming(frameSizesOfBatch(), recordsOfBatch(engine, server, true));
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void withoutGuard_recordsSplitFrames(TlsSettings.Engine engine, MemcachedServer server) throws Exception {
    PipelinedStorageGuard.enabled = false;
    List<Integer> records = recordsOfBatch(engine, server, false);
    assertThrows(AssertionError.class, () -> assertFraming(frameSizesOfBatch(), records));
  }

  /** SETQ frames of every size in {@link #SIZES}, repeated, then the batch's NOOP. */
  private static List<Integer> frameSizesOfBatch() {
    List<Integer> frames = new ArrayList<>();
    for (int i = 0; i < 3 * SIZES.length; i++) {
      frames.add(24 + 8 + key(i).length + SIZES[i % SIZES.length]);
    }
    frames.add(24);
    return frames;
  }

  /** The plaintext length of every application-data record the batch was sent in. */
  private static List<Integer> recordsOfBatch(TlsSettings.Engine engine, MemcachedServer server, boolean guarded)
      throws Exception {
    try (RecordTap tap = new RecordTap(server.address());
        MemcachedClient client = TlsTesting.client("127.0.0.1", tap.port(),
            TlsTesting.trusting(engine).minimumProtocol(TlsSettings.Protocol.TLS_1_3).build())) {
      await(client.noop(client.cluster().nodes().get(0))); // handshake, VERSION and STAT are behind us
      // A NOOP (24 bytes) shows the engine's record overhead: TLS 1.3 adds a content-type byte and a
      // 16-byte tag, and the JDK 16 bytes of padding.
      int noop = tap.count();
      await(client.noop(client.cluster().nodes().get(0)));
      int overhead = tap.records().get(noop).length() - 24;
      int before = tap.count();
      int count = 3 * SIZES.length;
      byte[][] keys = new byte[count][];
      byte[][] values = new byte[count][];
      for (int i = 0; i < count; i++) {
        keys[i] = key(i);
        values[i] = new byte[SIZES[i % SIZES.length]];
      }
      var batch = client.storeAll(StoreMode.SET, keys, values, new int[count], new int[count]);
      if (guarded) {
        assertNull(await(batch).firstError());
      } else {
        Thread.sleep(500); // everything is written at once; without the guard the server may never answer
      }
      List<Integer> plaintext = new ArrayList<>();
      for (RecordTap.TlsRecord r : tap.records().subList(before, tap.count())) {
        assertEquals(APPLICATION_DATA, r.type(), "record type");
        plaintext.add(r.length() - overhead);
      }
      System.out.println(engine + " (record overhead " + overhead + "): " + plaintext);
      return plaintext;
    }
  }

  private static byte[] key(int i) {
    return String.format("frame:%03d", i).getBytes(StandardCharsets.US_ASCII);
  }

  /** Every record at most LIMIT bytes, and every record boundary a frame boundary or inside a frame larger than LIMIT. */
  static void assertFraming(List<Integer> frames, List<Integer> records) {
    List<long[]> spans = new ArrayList<>();
    long start = 0;
    for (int size : frames) {
      spans.add(new long[] {start, start + size});
      start += size;
    }
    long total = start;
    long position = 0;
    for (int record : records) {
      assertTrue(record <= LIMIT, "record of " + record + " bytes exceeds " + LIMIT);
      position += record;
      for (long[] span : spans) {
        boolean inside = span[0] < position && position < span[1];
        if (inside) {
          long size = span[1] - span[0];
          assertTrue(size > LIMIT && (position - span[0]) % LIMIT == 0,
              "a record ends " + (position - span[0]) + " bytes into a frame of " + size + " bytes; records: " + records);
        }
      }
    }
    assertEquals(total, position, "plaintext bytes sent; records: " + records);
  }
}
