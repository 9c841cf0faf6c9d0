package io.memjcache.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.cluster.KetamaVectors.Case;
import io.memjcache.internal.cluster.KetamaVectors.Server;
import io.memjcache.internal.cluster.KetamaVectors.Vector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks {@link KetamaContinuum} against key-to-server tables published by spymemcached and
 * libmemcached and against tables produced by running libmemcached 1.1.4 and spymemcached 2.12.3.
 */
class KetamaContinuumVectorsTest {

  /** Each file with the number of vectors it must yield, so that a parsing slip cannot pass quietly. */
  private static final Map<String, Integer> FILES = Map.of(
      "spymemcached-KetamaNodeLocatorTest.tsv", 3258,
      "libmemcached-ketama-fixtures.tsv", 198,
      "libmemcached-1.1.4-generated.tsv", 802,
      "spymemcached-2.12.3-generated.tsv", 402);

  static Stream<Case> cases() {
    return FILES.keySet().stream().sorted().flatMap(f -> KetamaVectors.load(f).stream());
  }

  private static Case named(String name) {
    return cases().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void everyFileYieldsAllItsVectors() {
    for (Map.Entry<String, Integer> e : FILES.entrySet()) {
      int count = KetamaVectors.load(e.getKey()).stream().mapToInt(c -> c.vectors().size()).sum();
      assertEquals(e.getValue(), count, e.getKey());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyKeyGoesToThePublishedServer(Case c) {
    KetamaContinuum<Server> continuum = c.continuum();
    assertEquals(c.servers().size(), continuum.size());
    List<String> failures = new ArrayList<>();
    for (Vector v : c.vectors()) {
      byte[] key = v.key().getBytes(StandardCharsets.UTF_8);
      Server expected = c.server(v.server());
      Server actual = continuum.nodeFor(key);
      if (!expected.equals(actual)) {
        failures.add("line " + v.line() + " key " + v.key() + ": expected " + expected + ", got " + actual);
      }
      long hash = KetamaContinuum.keyHash(key);
      if (v.keyHash() != null && v.keyHash() != hash) {
        failures.add("line " + v.line() + " key " + v.key() + ": hash " + hash + " != " + v.keyHash());
      }
      if (v.point() != null && v.point() != continuum.pointForHash(hash)) {
        failures.add("line " + v.line() + " key " + v.key() + ": point " + continuum.pointForHash(hash)
            + " != " + v.point());
      }
    }
    assertTrue(failures.isEmpty(), () -> failures.size() + " of " + c.vectors().size()
        + " vectors fail:\n" + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
    if (c.maxPoint() != null) {
      assertEquals((long) c.maxPoint(), continuum.point(continuum.pointCount() - 1));
    }
  }

  @Test
  void spymemcachedUnweightedContinuaHave160PointsPerServer() {
    Case c = named("spymemcached-8-servers");
    assertEquals(8 * 160, c.continuum().pointCount());
    assertEquals(4 * 160, named("spymemcached-lookups-4-nodes").continuum().pointCount());
  }

  /** libmemcached's ketama.cpp: "VDEAAAAA" hashes to 0xfffcd1b5, past the last point, so it wraps. */
  @Test
  void libmemcachedWraparoundKey() {
    KetamaContinuum<Server> continuum = named("libmemcached-ketama-weighted-8-servers").continuum();
    byte[] key = "VDEAAAAA".getBytes(StandardCharsets.US_ASCII);
    long hash = KetamaContinuum.keyHash(key);
    assertEquals(0xfffcd1b5L, hash);
    assertTrue(hash > continuum.point(continuum.pointCount() - 1));
    assertEquals(continuum.point(0), continuum.pointForHash(hash));
    assertSame(continuum.nodeForHash(continuum.point(0)), continuum.nodeFor(key));
  }

  /**
   * With 25 equally weighted servers libmemcached gives each 156 points, not 160. The weighted
   * continuum reproduces that (the vectors above pass); an unweighted one must fail some of them, or
   * the table would not be telling the two apart.
   */
  @Test
  void libmemcachedEqualWeightsOf25ServersAre156PointsEach() {
    Case c = named("libmemcached-1.1.4-25-servers-equal-weights");
    KetamaContinuum<Server> weighted = c.continuum();
    assertEquals(25 * 156, weighted.pointCount());
    KetamaContinuum<Server> unweighted = KetamaContinuum.of(c.servers(), c.nodeKey());
    long differing = c.vectors().stream()
        .filter(v -> !unweighted.nodeFor(v.key().getBytes(StandardCharsets.UTF_8)).equals(c.server(v.server())))
        .count();
    assertEquals(9, differing);
  }

  /** spymemcached's unweighted locator keeps 160 points for 25 servers: its table needs the 160. */
  @Test
  void spymemcachedUnweighted25ServersNeed160Points() {
    Case c = named("spymemcached-2.12.3-25-servers-mixed-ports");
    assertEquals(25 * 160, c.continuum().pointCount());
    KetamaContinuum<Server> asLibmemcached = KetamaContinuum.weighted(c.servers(), c.nodeKey(), s -> 1);
    assertNotEquals(0, c.vectors().stream()
        .filter(v -> !asLibmemcached.nodeFor(v.key().getBytes(StandardCharsets.UTF_8)).equals(c.server(v.server())))
        .count());
  }

  /** The two node-key formats really place servers differently: each table fails under the other. */
  @Test
  void nodeKeyFormatsAreNotInterchangeable() {
    Case lib = named("libmemcached-1.1.4-5-servers-mixed-ports-and-names");
    KetamaContinuum<Server> spyKeys = KetamaContinuum.weighted(
        lib.servers(), s -> KetamaNodeKeyFormat.SPYMEMCACHED.nodeKey(s.host(), s.port()), s -> 1);
    long differing = lib.vectors().stream()
        .filter(v -> !spyKeys.nodeFor(v.key().getBytes(StandardCharsets.UTF_8)).equals(lib.server(v.server())))
        .count();
    assertTrue(differing > lib.vectors().size() / 4, "differing: " + differing);
  }
}
