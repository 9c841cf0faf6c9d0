package io.memjcache.internal.cluster;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * An immutable ketama consistent-hashing continuum that picks the memcached server for a key the way
 * spymemcached's {@code KETAMA_HASH} locator and libmemcached's {@code KETAMA_WEIGHTED} (alias {@code
 * KETAMA_COMPAT}) distribution do, so memjcache can share a memcached pool with those clients.
 *
 * <p>The continuum is the circle of 32-bit unsigned integers. Each server gets 160 points on it: for
 * {@code i} from 0 to 39 the MD5 digest of {@code "<nodeKey>-<i>"} (UTF-8) is cut into four 4-byte
 * groups, each read little-endian as an unsigned 32-bit point. A key is hashed the same way, with MD5
 * over the key's bytes exactly as sent to memcached and the first four digest bytes read
 * little-endian; it belongs to the server owning the first point at or after that hash, wrapping
 * around to the lowest point. Because a server's points depend only on its own node key (see {@link
 * KetamaNodeKeyFormat}), removing one of N servers moves only the keys it held (about 1/N of them),
 * and adding a server takes about 1/(N+1) of the keys, from every other server alike.
 *
 * <p>{@link #of} gives every node exactly 160 points, as spymemcached does without weights. {@link
 * #weighted} sizes each node's share as libmemcached, twemproxy and spymemcached's weighted mode do:
 * {@code floor(weight / totalWeight * 40 * nodeCount) * 4} points, in single-precision float. With
 * equal weights that is 160 points, except where float rounding makes it 156 (25, 47, 50, 55 ...
 * nodes). libmemcached in ketama-compatible mode and twemproxy always weigh servers (1 by default),
 * so agreeing with them takes {@code weighted(nodes, key, n -> 1)} even without configured weights.
 *
 * <p>Two points of different nodes can coincide (a 32-bit collision: rare, but likely somewhere in
 * continua of a few hundred nodes). The clients disagree on who keeps such a point, and each factory
 * follows its client: in {@link #of} the node later in the list wins, as in spymemcached; in {@link
 * #weighted} the earlier one, as in libmemcached. Either way the continuum is a pure function of the
 * ordered node list.
 *
 * <p>Lookups are a binary search over a sorted {@code int[]} of points with a parallel array of
 * owners, plus one MD5 on a per-thread digest, and allocate nothing. Instances are immutable and so
 * thread-safe; membership changes ({@link #without}, {@link #with}, {@link #withNodes}) return new
 * continua and reuse the points already computed for surviving nodes, so that in an unweighted
 * continuum they cost a sort, not a rehash.
 *
 * @param <N> the node type; nodes are told apart by {@code equals} and must have distinct node keys
 */
public final class KetamaContinuum<N> {

  /** Points a node gets in an unweighted continuum. */
  public static final int POINTS_PER_NODE = 160;

  private static final int POINTS_PER_DIGEST = 4;

  // Per-thread digests and output buffers, in JDK types only: a caller's thread that outlives the
  // application (an application server's) must not keep memjcache's class loader (ThreadLocalLeakTest).
  private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(KetamaContinuum::newMd5);
  private static final ThreadLocal<byte[]> MD5_OUT = ThreadLocal.withInitial(() -> new byte[16]);

  private final Function<? super N, String> keyFunction;
  /** Null for an unweighted continuum. */
  private final ToIntFunction<? super N> weightFunction;

  /** The nodes in building order, with their node keys and their points (unsorted, as derived). */
  private final List<N> nodes;
  private final String[] nodeKeys;
  private final int[][] nodePoints;

  /** The distinct points in unsigned ascending order, and the node owning each. */
  private final int[] points;
  private final Object[] owners;

  private KetamaContinuum(
      Function<? super N, String> keyFunction,
      ToIntFunction<? super N> weightFunction,
      List<N> nodes,
      String[] nodeKeys,
      int[][] nodePoints,
      int[] points,
      Object[] owners) {
    this.keyFunction = keyFunction;
    this.weightFunction = weightFunction;
    this.nodes = nodes;
    this.nodeKeys = nodeKeys;
    this.nodePoints = nodePoints;
    this.points = points;
    this.owners = owners;
  }

  /**
   * An unweighted continuum: 160 points for every node.
   *
   * @param nodes the nodes, in order (the order only matters for point collisions, which the later
   *     node wins); may be empty
   * @param nodeKey the text ketama hashes for a node, usually from {@link KetamaNodeKeyFormat}
   * @throws IllegalArgumentException if two nodes are equal or have the same node key
   */
  public static <N> KetamaContinuum<N> of(
      Collection<? extends N> nodes, Function<? super N, String> nodeKey) {
    Objects.requireNonNull(nodeKey, "nodeKey");
    return build(List.copyOf(nodes), nodeKey, null, null);
  }

  /**
   * A weighted continuum, sized as libmemcached and twemproxy do: a node with weight {@code w} out of a
   * total {@code W} over {@code n} nodes gets {@code floor((float) w / W * 160 / 4 * n) * 4} points,
   * which can be 0 for a tiny weight. Of two nodes with the same point, the earlier one keeps it.
   *
   * @param weight a node's weight, at least 1
   * @throws IllegalArgumentException if two nodes are equal, share a node key, or a weight is below 1
   */
  public static <N> KetamaContinuum<N> weighted(
      Collection<? extends N> nodes,
      Function<? super N, String> nodeKey,
      ToIntFunction<? super N> weight) {
    Objects.requireNonNull(nodeKey, "nodeKey");
    Objects.requireNonNull(weight, "weight");
    return build(List.copyOf(nodes), nodeKey, weight, null);
  }

  /**
   * The 32-bit ketama hash of a key, as an unsigned value in a {@code long}: MD5 of the bytes, first
   * four digest bytes read little-endian.
   */
  public static long keyHash(byte[] key) {
    Objects.requireNonNull(key, "key");
    return littleEndianInt(md5(key, key.length), 0) & 0xFFFF_FFFFL;
  }

  /**
   * The node for a key.
   *
   * @param key the key's bytes exactly as sent to memcached
   * @throws IllegalStateException if the continuum has no node
   */
  public N nodeFor(byte[] key) {
    return ownerAt(indexFor((int) keyHash(key)));
  }

  /**
   * The node for a hash from {@link #keyHash}: the owner of the first point at or after it, wrapping.
   *
   * @throws IllegalArgumentException if the hash is not in {@code [0, 2^32)}
   * @throws IllegalStateException if the continuum has no node
   */
  public N nodeForHash(long hash) {
    return ownerAt(indexFor(checkedHash(hash)));
  }

  /** The point a hash lands on (unsigned, in a {@code long}); for tests against published tables. */
  long pointForHash(long hash) {
    return point(indexFor(checkedHash(hash)));
  }

  /** The point at an index of the sorted continuum (unsigned, in a {@code long}); for tests. */
  long point(int index) {
    return points[index] & 0xFFFF_FFFFL;
  }

  /** The number of nodes. */
  public int size() {
    return nodes.size();
  }

  /** Whether there are no nodes, so that every lookup throws. */
  public boolean isEmpty() {
    return nodes.isEmpty();
  }

  /** The nodes in building order. */
  public List<N> nodes() {
    return nodes;
  }

  /** The number of distinct points on the continuum. */
  public int pointCount() {
    return points.length;
  }

  /** Whether this continuum was built by {@link #weighted}. */
  public boolean isWeighted() {
    return weightFunction != null;
  }

  /** The node key the continuum hashed for a node, or null if the node is not in it. */
  public String nodeKey(N node) {
    int i = nodes.indexOf(node);
    return i < 0 ? null : nodeKeys[i];
  }

  /**
   * This continuum less one node (found by {@code equals}); the others keep their order, and with
   * it, in an unweighted continuum, every point. Returns this continuum if the node is not in it.
   */
  public KetamaContinuum<N> without(N node) {
    int i = nodes.indexOf(node);
    if (i < 0) {
      return this;
    }
    List<N> rest = new ArrayList<>(nodes);
    rest.remove(i);
    return build(List.copyOf(rest), keyFunction, weightFunction, this);
  }

  /**
   * This continuum plus one node, placed last in the order.
   *
   * @throws IllegalArgumentException if the node, or its node key, is already in the continuum
   */
  public KetamaContinuum<N> with(N node) {
    Objects.requireNonNull(node, "node");
    List<N> more = new ArrayList<>(nodes.size() + 1);
    more.addAll(nodes);
    more.add(node);
    return build(List.copyOf(more), keyFunction, weightFunction, this);
  }

  /**
   * A continuum over a new node list with this one's node-key and weight functions, reusing the
   * points already computed for nodes that stay. Equal to building it from scratch.
   */
  public KetamaContinuum<N> withNodes(Collection<? extends N> newNodes) {
    return build(List.copyOf(newNodes), keyFunction, weightFunction, this);
  }

  @Override
  public String toString() {
    return "KetamaContinuum["
        + nodes.size()
        + " nodes, "
        + points.length
        + " points"
        + (weightFunction != null ? ", weighted" : "")
        + ", keys="
        + Arrays.toString(nodeKeys)
        + "]";
  }

  // ------------------------------------------------------------------------------------------------

  private int indexFor(int hash) {
    int[] p = points;
    int n = p.length;
    if (n == 0) {
      throw new IllegalStateException(
          "ketama continuum is empty: there is no memcached server to send the key to");
    }
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Integer.compareUnsigned(p[mid], hash) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo == n ? 0 : lo;
  }

  @SuppressWarnings("unchecked")
  private N ownerAt(int index) {
    return (N) owners[index];
  }

  private static int checkedHash(long hash) {
    if (hash < 0 || hash > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("a ketama hash is an unsigned 32-bit value, was " + hash);
    }
    return (int) hash;
  }

  /** Builds from an unmodifiable, null-free list, reusing {@code previous}'s points where it can. */
  private static <N> KetamaContinuum<N> build(
      List<N> nodes,
      Function<? super N, String> keyFunction,
      ToIntFunction<? super N> weightFunction,
      KetamaContinuum<N> previous) {
    int n = nodes.size();
    String[] keys = new String[n];
    Set<N> seenNodes = new HashSet<>(n * 2);
    Set<String> seenKeys = new HashSet<>(n * 2);
    for (int i = 0; i < n; i++) {
      N node = nodes.get(i); // List.copyOf has already rejected nulls
      String key = Objects.requireNonNull(keyFunction.apply(node), () -> "node key of " + node);
      if (!seenNodes.add(node)) {
        throw new IllegalArgumentException("node listed twice: " + node);
      }
      if (!seenKeys.add(key)) {
        throw new IllegalArgumentException("two nodes have the node key \"" + key + "\"");
      }
      keys[i] = key;
    }

    int[] counts = pointCounts(nodes, weightFunction);

    Map<String, int[]> reusable = previous == null ? Map.of() : previous.pointsByKey();
    int[][] perNode = new int[n][];
    int total = 0;
    for (int i = 0; i < n; i++) {
      int[] known = reusable.get(keys[i]);
      perNode[i] = known != null && known.length >= counts[i] ? known : nodePoints(keys[i], counts[i]);
      total += counts[i];
    }

    // Sort (point, node) pairs packed in one non-negative long: the unsigned 32-bit point shifted left
    // by 31, then a 31-bit rank of the node that puts the collision winner first among equal points:
    // the later node when unweighted (spymemcached), the earlier one when weighted (libmemcached).
    boolean laterWins = weightFunction == null;
    long[] packed = new long[total];
    int k = 0;
    for (int i = 0; i < n; i++) {
      long rank = laterWins ? Integer.MAX_VALUE - i : i;
      int[] own = perNode[i];
      for (int j = 0; j < counts[i]; j++) {
        packed[k++] = ((own[j] & 0xFFFF_FFFFL) << 31) | rank;
      }
    }
    Arrays.sort(packed);

    int[] points = new int[total];
    Object[] owners = new Object[total];
    int distinct = 0;
    for (int j = 0; j < total; j++) {
      int point = (int) (packed[j] >>> 31);
      if (distinct > 0 && points[distinct - 1] == point) {
        continue; // a collision: the first of the run keeps the point
      }
      int rank = (int) (packed[j] & Integer.MAX_VALUE);
      points[distinct] = point;
      owners[distinct] = nodes.get(laterWins ? Integer.MAX_VALUE - rank : rank);
      distinct++;
    }
    if (distinct < total) {
      points = Arrays.copyOf(points, distinct);
      owners = Arrays.copyOf(owners, distinct);
    }
    return new KetamaContinuum<>(
        keyFunction,
        weightFunction,
        nodes,
        keys,
        perNode,
        points,
        owners);
  }

  /** Points per node: 160 each, or the libmemcached/twemproxy/spymemcached weighted formula. */
  private static <N> int[] pointCounts(List<N> nodes, ToIntFunction<? super N> weightFunction) {
    int n = nodes.size();
    int[] counts = new int[n];
    if (weightFunction == null) {
      Arrays.fill(counts, POINTS_PER_NODE);
      return counts;
    }
    int[] weights = new int[n];
    long totalWeight = 0;
    for (int i = 0; i < n; i++) {
      int w = weightFunction.applyAsInt(nodes.get(i));
      if (w < 1) {
        throw new IllegalArgumentException("weight of " + nodes.get(i) + " must be at least 1, was " + w);
      }
      weights[i] = w;
      totalWeight += w;
    }
    for (int i = 0; i < n; i++) {
      // Single precision throughout, in the C clients' order of operations: the rounding is part of
      // the compatibility (it is what turns 160 into 156 for some node counts).
      float pct = (float) weights[i] / (float) totalWeight;
      float share = pct * POINTS_PER_NODE / POINTS_PER_DIGEST * (float) n + 0.0000000001f;
      counts[i] = (int) Math.floor(share) * POINTS_PER_DIGEST;
    }
    return counts;
  }

  /** The first {@code count} points of a node, in derivation order; count is a multiple of 4. */
  private static int[] nodePoints(String nodeKey, int count) {
    int[] out = new int[count];
    byte[] prefix = (nodeKey + '-').getBytes(StandardCharsets.UTF_8);
    byte[] input = Arrays.copyOf(prefix, prefix.length + 10); // room for any int's digits
    for (int i = 0; i < count / POINTS_PER_DIGEST; i++) {
      int length = prefix.length + writeDecimal(i, input, prefix.length);
      byte[] digest = md5(input, length);
      for (int h = 0; h < POINTS_PER_DIGEST; h++) {
        out[i * POINTS_PER_DIGEST + h] = littleEndianInt(digest, h * 4);
      }
    }
    return out;
  }

  private Map<String, int[]> pointsByKey() {
    Map<String, int[]> m = new HashMap<>(nodeKeys.length * 2);
    for (int i = 0; i < nodeKeys.length; i++) {
      m.put(nodeKeys[i], nodePoints[i]);
    }
    return m;
  }

  /** Writes a non-negative int's ASCII decimal digits at {@code offset}; returns how many. */
  private static int writeDecimal(int value, byte[] into, int offset) {
    String digits = Integer.toString(value);
    for (int i = 0; i < digits.length(); i++) {
      into[offset + i] = (byte) digits.charAt(i);
    }
    return digits.length();
  }

  private static int littleEndianInt(byte[] b, int offset) {
    return (b[offset] & 0xFF)
        | (b[offset + 1] & 0xFF) << 8
        | (b[offset + 2] & 0xFF) << 16
        | (b[offset + 3] & 0xFF) << 24;
  }

  private static MessageDigest newMd5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required of every Java platform", e);
    }
  }

  /**
   * The MD5 digest of the first {@code length} bytes, on this thread's digest (MessageDigest
   * instances are not thread-safe), in this thread's buffer, which the next call reuses.
   */
  private static byte[] md5(byte[] input, int length) {
    MessageDigest digest = MD5.get();
    byte[] out = MD5_OUT.get();
    digest.update(input, 0, length);
    try {
      digest.digest(out, 0, out.length);
    } catch (DigestException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}
