package io.memjcache.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.cluster.KetamaVectors.Server;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Behaviour of {@link KetamaContinuum}: membership changes, balance, edge cases. */
class KetamaContinuumTest {

  private static final Function<Server, String> KEY =
      s -> KetamaNodeKeyFormat.SPYMEMCACHED.nodeKey(s.host(), s.port());

  private static final byte[][] KEYS = IntStream.range(0, 50_000)
      .mapToObj(i -> ("memjcache:test:" + i).getBytes(StandardCharsets.UTF_8))
      .toArray(byte[][]::new);

  private static List<Server> servers(int n) {
    List<Server> list = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      list.add(new Server("10.20.0." + i, 11211));
    }
    return list;
  }

  private static Server[] assign(KetamaContinuum<Server> c) {
    Server[] out = new Server[KEYS.length];
    for (int i = 0; i < KEYS.length; i++) {
      out[i] = c.nodeFor(KEYS[i]);
    }
    return out;
  }

  @Test
  void emptyContinuumThrowsAClearIllegalStateException() {
    KetamaContinuum<Server> empty = KetamaContinuum.of(List.of(), KEY);
    assertTrue(empty.isEmpty());
    assertEquals(0, empty.size());
    assertEquals(0, empty.pointCount());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> empty.nodeFor(KEYS[0]));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> empty.nodeForHash(0));

    KetamaContinuum<Server> emptied = KetamaContinuum.of(servers(1), KEY).without(servers(1).get(0));
    assertTrue(emptied.isEmpty());
    assertThrows(IllegalStateException.class, () -> emptied.nodeFor(KEYS[0]));
    assertTrue(KetamaContinuum.weighted(List.<Server>of(), KEY, s -> 1).isEmpty());
  }

  @Test
  void singleNodeTakesEveryKey() {
    Server only = new Server("cache", 11211);
    KetamaContinuum<Server> c = KetamaContinuum.of(List.of(only), KEY);
    assertEquals(1, c.size());
    assertEquals(160, c.pointCount());
    for (byte[] key : KEYS) {
      assertSame(only, c.nodeFor(key));
    }
    assertSame(only, c.nodeForHash(0));
    assertSame(only, c.nodeForHash(0xFFFF_FFFFL));
    assertSame(only, c.nodeFor(new byte[0]));
  }

  @Test
  void removingOneOfTenMovesOnlyItsKeysAboutATenth() {
    List<Server> ten = servers(10);
    KetamaContinuum<Server> before = KetamaContinuum.of(ten, KEY);
    Server gone = ten.get(3);
    KetamaContinuum<Server> after = before.without(gone);
    assertEquals(9, after.size());
    assertFalse(after.nodes().contains(gone));

    Server[] a = assign(before);
    Server[] b = assign(after);
    int moved = 0;
    for (int i = 0; i < KEYS.length; i++) {
      if (a[i] != b[i]) {
        moved++;
        assertSame(gone, a[i], "a key moved that was not on the removed server");
      } else {
        assertFalse(a[i] == gone);
      }
    }
    double fraction = moved / (double) KEYS.length;
    assertTrue(fraction > 0.06 && fraction < 0.15, "moved fraction " + fraction);
  }

  @Test
  void addingAnEleventhTakesAboutAnEleventhFromEveryone() {
    List<Server> ten = servers(10);
    Server added = new Server("10.20.0.11", 11211);
    KetamaContinuum<Server> before = KetamaContinuum.of(ten, KEY);
    KetamaContinuum<Server> after = before.with(added);
    assertEquals(11, after.size());
    assertSame(added, after.nodes().get(10));

    Server[] a = assign(before);
    Server[] b = assign(after);
    int moved = 0;
    Map<Server, Integer> givers = new HashMap<>();
    for (int i = 0; i < KEYS.length; i++) {
      if (a[i] != b[i]) {
        moved++;
        assertSame(added, b[i], "a key moved somewhere else than to the new server");
        givers.merge(a[i], 1, Integer::sum);
      }
    }
    double fraction = moved / (double) KEYS.length;
    assertTrue(fraction > 0.055 && fraction < 0.135, "moved fraction " + fraction);
    assertEquals(10, givers.size(), "every old server should give up some keys");
  }

  @Test
  void membershipChangesEqualBuildingFromScratch() {
    List<Server> twelve = servers(12);
    KetamaContinuum<Server> full = KetamaContinuum.of(twelve, KEY);
    List<Server> eleven = new ArrayList<>(twelve);
    Server removed = eleven.remove(5);

    assertSameAssignment(KetamaContinuum.of(eleven, KEY), full.without(removed));
    assertSameAssignment(full, full.without(removed).withNodes(twelve));
    assertSameAssignment(full, KetamaContinuum.of(eleven, KEY).withNodes(twelve));
    List<Server> reversed = new ArrayList<>(twelve);
    java.util.Collections.reverse(reversed);
    assertSameAssignment(full, KetamaContinuum.of(reversed, KEY)); // order only matters for collisions
    assertSame(full, full.without(new Server("not-there", 1)));
  }

  private static void assertSameAssignment(KetamaContinuum<Server> x, KetamaContinuum<Server> y) {
    assertEquals(x.pointCount(), y.pointCount());
    for (int i = 0; i < x.pointCount(); i++) {
      assertEquals(x.point(i), y.point(i));
      assertSame(x.nodeForHash(x.point(i)), y.nodeForHash(y.point(i)));
    }
  }

  @Test
  void keysAreSpreadEvenlyEnough() {
    KetamaContinuum<Server> c = KetamaContinuum.of(servers(10), KEY);
    Map<Server, Integer> counts = new HashMap<>();
    for (Server s : assign(c)) {
      counts.merge(s, 1, Integer::sum);
    }
    assertEquals(10, counts.size());
    double mean = KEYS.length / 10.0;
    for (Map.Entry<Server, Integer> e : counts.entrySet()) {
      double ratio = e.getValue() / mean;
      // 160 points per server give shares within about +-25% of the mean in practice.
      assertTrue(ratio > 0.7 && ratio < 1.3, e.getKey() + " has " + ratio + " of the mean");
    }
  }

  @Test
  void continuumPointsAreSortedDistinctAndWrap() {
    KetamaContinuum<Server> c = KetamaContinuum.of(servers(7), KEY);
    assertEquals(7 * 160, c.pointCount());
    for (int i = 1; i < c.pointCount(); i++) {
      assertTrue(c.point(i - 1) < c.point(i));
    }
    long first = c.point(0);
    long last = c.point(c.pointCount() - 1);
    assertEquals(first, c.pointForHash(0));
    assertEquals(first, c.pointForHash(first));
    assertEquals(c.point(1), c.pointForHash(first + 1));
    assertEquals(last, c.pointForHash(last));
    assertEquals(first, c.pointForHash(last + 1));
    assertEquals(first, c.pointForHash(0xFFFF_FFFFL));
    assertSame(c.nodeForHash(first), c.nodeForHash(0xFFFF_FFFFL));
    assertThrows(IllegalArgumentException.class, () -> c.nodeForHash(-1));
    assertThrows(IllegalArgumentException.class, () -> c.nodeForHash(1L << 32));
  }

  /**
   * "10.1.0.72:11211" and "10.1.1.102:11211" both derive the point 4057872511 (found by search).
   * Unweighted, as in spymemcached, the node later in the list owns it; weighted, as in libmemcached,
   * the earlier one. Removing the owner hands the point to the other.
   */
  @Test
  void aPointCollisionGoesToTheLaterNodeUnweightedAndTheEarlierWeighted() {
    Server a = new Server("10.1.0.72", 11211);
    Server b = new Server("10.1.1.102", 11211);
    long shared = 4057872511L;
    KetamaContinuum<Server> ab = KetamaContinuum.of(List.of(a, b), KEY);
    KetamaContinuum<Server> ba = KetamaContinuum.of(List.of(b, a), KEY);
    assertEquals(319, ab.pointCount());
    assertEquals(shared, ab.pointForHash(shared));
    assertSame(b, ab.nodeForHash(shared));
    assertSame(a, ba.nodeForHash(shared));
    assertSame(a, ab.without(b).nodeForHash(shared));
    assertSame(b, ab.without(b).with(b).nodeForHash(shared));

    KetamaContinuum<Server> abWeighted = KetamaContinuum.weighted(List.of(a, b), KEY, s -> 1);
    assertEquals(319, abWeighted.pointCount());
    assertSame(a, abWeighted.nodeForHash(shared));
    assertSame(b, KetamaContinuum.weighted(List.of(b, a), KEY, s -> 1).nodeForHash(shared));
    assertSame(b, abWeighted.without(a).nodeForHash(shared));
  }

  @Test
  void equalWeightsGive160PointsOr156WhereFloatRoundingSaysSo() {
    for (int n : new int[] {1, 2, 3, 8, 24, 26, 48}) {
      assertEquals(n * 160, KetamaContinuum.weighted(servers(n), KEY, s -> 7).pointCount(), "n=" + n);
    }
    for (int n : new int[] {25, 47, 50}) {
      assertEquals(n * 156, KetamaContinuum.weighted(servers(n), KEY, s -> 7).pointCount(), "n=" + n);
      assertEquals(n * 160, KetamaContinuum.of(servers(n), KEY).pointCount(), "n=" + n);
    }
  }

  @Test
  void weightsScaleShares() {
    List<Server> two = servers(2);
    KetamaContinuum<Server> c = KetamaContinuum.weighted(two, KEY, s -> s == two.get(0) ? 3 : 1);
    assertTrue(c.isWeighted());
    assertEquals(240 + 80, c.pointCount()); // floor(0.75 * 40 * 2) * 4 and floor(0.25 * 40 * 2) * 4
    long onFirst = java.util.Arrays.stream(assign(c)).filter(s -> s == two.get(0)).count();
    double share = onFirst / (double) KEYS.length;
    assertTrue(share > 0.65 && share < 0.85, "share " + share);
    // A weighted continuum stays weighted through membership changes.
    KetamaContinuum<Server> alone = c.without(two.get(1));
    assertTrue(alone.isWeighted());
    assertEquals(160, alone.pointCount());
  }

  @Test
  void rejectsBadInput() {
    Server s = new Server("10.0.0.1", 11211);
    assertThrows(IllegalArgumentException.class, () -> KetamaContinuum.of(List.of(s, s), KEY));
    assertThrows(IllegalArgumentException.class,
        () -> KetamaContinuum.of(List.of(s, new Server("10.0.0.2", 11211)), x -> "same"));
    assertThrows(NullPointerException.class, () -> KetamaContinuum.of(List.of(s), x -> null));
    assertThrows(NullPointerException.class, () -> KetamaContinuum.of(java.util.Arrays.asList(s, null), KEY));
    assertThrows(IllegalArgumentException.class, () -> KetamaContinuum.weighted(List.of(s), KEY, x -> 0));
    assertThrows(IllegalArgumentException.class,
        () -> KetamaContinuum.of(List.of(s), KEY).with(new Server("10.0.0.1", 11211)));
  }

  @Test
  void exposesNodesAndKeys() {
    List<Server> three = servers(3);
    KetamaContinuum<Server> c = KetamaContinuum.of(three, KEY);
    assertEquals(three, c.nodes());
    assertThrows(UnsupportedOperationException.class, () -> c.nodes().add(new Server("x", 1)));
    assertEquals("10.20.0.2:11211", c.nodeKey(three.get(1)));
    assertNull(c.nodeKey(new Server("x", 1)));
    assertFalse(c.isWeighted());
    assertTrue(c.toString().contains("3 nodes"), c.toString());
    assertEquals(c.nodeFor(KEYS[42]), c.nodeForHash(KetamaContinuum.keyHash(KEYS[42])));
  }

  @Test
  void concurrentLookupsAgreeWithSequentialOnes() throws Exception {
    KetamaContinuum<Server> c = KetamaContinuum.of(servers(9), KEY);
    Server[] expected = assign(c);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(pool.submit(() -> {
          for (int i = 0; i < KEYS.length; i++) {
            if (c.nodeFor(KEYS[i]) != expected[i]) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> f : results) {
        assertTrue(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
