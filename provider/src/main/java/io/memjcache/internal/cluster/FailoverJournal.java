package io.memjcache.internal.cluster;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys of one down node that were written (stored, deleted, incremented ...) on other nodes
 * while it was down, each with the nodes that stood in for it. Before the node rejoins, these keys
 * are deleted from it, so that it cannot serve values older than those writes (a node that was cut
 * off, not restarted, still holds them); after it rejoined, they are deleted from the stand-ins, so
 * that those copies cannot come back should it fail again. A stand-in that is itself down by then is
 * handed the key to delete from itself before it rejoins. Bounded: past {@link #LIMIT} keys it only
 * remembers that it overflowed.
 */
final class FailoverJournal {
  /** The most keys remembered per down node. */
  static final int LIMIT = 65_536;

  /** A key and the nodes that served it meanwhile (empty: only the journal's own node holds a copy). */
  record Entry(byte[] key, List<Node> standIns) {}

  /** What {@link #take} hands over. */
  record Entries(List<Entry> entries, boolean overflowed) {
    List<byte[]> keys() {
      return entries.stream().map(Entry::key).toList();
    }
  }

  private final int limit;
  private final LinkedHashMap<ByteBuffer, Set<Node>> keys = new LinkedHashMap<>();
  private boolean overflowed;

  FailoverJournal() {
    this(LIMIT);
  }

  FailoverJournal(int limit) {
    this.limit = limit;
  }

  /** Remembers a key written on {@code standIn} (null: none), copied since callers may reuse arrays. */
  synchronized void record(byte[] key, Node standIn) {
    Set<Node> standIns = keys.get(ByteBuffer.wrap(key));
    if (standIns == null) {
      if (keys.size() >= limit) {
        overflowed = true;
        return;
      }
      standIns = new LinkedHashSet<>(2);
      keys.put(ByteBuffer.wrap(key.clone()), standIns);
    }
    if (standIn != null) {
      standIns.add(standIn);
    }
  }

  synchronized int size() {
    return keys.size();
  }

  /** The keys from position {@code from} on, in the order first written; the journal keeps them. */
  synchronized List<byte[]> keysFrom(int from) {
    List<byte[]> out = new ArrayList<>(Math.max(0, keys.size() - from));
    int i = 0;
    for (ByteBuffer key : keys.keySet()) {
      if (i++ >= from) {
        out.add(key.array());
      }
    }
    return out;
  }

  /** The keys that {@code standIn} served, which it may hold copies of. */
  synchronized List<byte[]> keysOn(Node standIn) {
    List<byte[]> out = new ArrayList<>();
    for (Map.Entry<ByteBuffer, Set<Node>> entry : keys.entrySet()) {
      if (entry.getValue().contains(standIn)) {
        out.add(entry.getKey().array());
      }
    }
    return out;
  }

  /** Everything remembered, which is then forgotten. */
  synchronized Entries take() {
    List<Entry> out = new ArrayList<>(keys.size());
    for (Map.Entry<ByteBuffer, Set<Node>> entry : keys.entrySet()) {
      out.add(new Entry(entry.getKey().array(), List.copyOf(entry.getValue())));
    }
    Entries entries = new Entries(out, overflowed);
    keys.clear();
    overflowed = false;
    return entries;
  }
}
