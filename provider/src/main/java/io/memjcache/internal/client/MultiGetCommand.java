package io.memjcache.internal.client;

import io.memjcache.internal.protocol.Frames;
import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.protocol.Request;
import io.memjcache.internal.protocol.Response;
import io.memjcache.internal.protocol.Status;
import io.memjcache.internal.transport.Command;
import io.memjcache.internal.transport.Responses;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * A multi-key read on one node: one quiet GETQ per key, closed by a NOOP. Hits answer, misses stay
 * silent; the NOOP's answer proves every key was looked at. A hit is matched to its key by its
 * opaque, as every other answer is (a GETQ answer carries no key: the key echo of GETKQ cost the
 * server and the client 40-odd bytes per key, and JCache entries name their key inside the value,
 * which their codecs check). Hits are read straight into the caller's result array, at the
 * caller's index of their key.
 */
final class MultiGetCommand<T> extends Command<T[]> {
  private static final byte[] NO_BYTES = new byte[0];

  private final byte[] prefix;
  private final byte[][] keys;
  private final int[] positions;
  private final T[] into;
  private final HitReader<T> reader;
  private Request[] frames;
  private RuntimeException error;

  /**
   * @param prefix the first bytes of every key (empty for none), sent without joining it to each
   * @param keys the keys (after the prefix) to read on this node
   * @param positions where key {@code i}'s result goes in {@code into} (and the index its reader
   *     sees); null when that is {@code i} itself
   * @param into the result array, which this command fills with hits (misses stay null)
   */
  MultiGetCommand(byte[] prefix, byte[][] keys, int[] positions, T[] into, HitReader<T> reader) {
    this.prefix = prefix;
    this.keys = keys;
    this.positions = positions;
    this.into = into;
    this.reader = reader;
  }

  /** The frames as requests, made on demand: the connection encodes them without (see below). */
  @Override
  public Request[] frames() {
    if (frames == null) {
      Request[] f = new Request[keys.length + 1];
      for (int i = 0; i < keys.length; i++) {
        byte[] key = Arrays.copyOf(prefix, prefix.length + keys[i].length);
        System.arraycopy(keys[i], 0, key, prefix.length, keys[i].length);
        f[i] = Request.keyOnly(Opcode.GETQ, key);
      }
      f[keys.length] = Request.bare(Opcode.NOOP);
      frames = f;
    }
    return frames;
  }

  @Override
  public int frameCount() {
    return keys.length + 1;
  }

  @Override
  public byte opcode(int index) {
    return index < keys.length ? Opcode.GETQ : Opcode.NOOP;
  }

  @Override
  public int frameLength(int index) {
    return Frames.HEADER_LENGTH + (index < keys.length ? prefix.length + keys[index].length : 0);
  }

  @Override
  public void encode(int index, int opaque, ByteBuf out) {
    if (index < keys.length) {
      Frames.encodeKeyOnly(Opcode.GETQ, prefix, keys[index], opaque, out);
    } else {
      Frames.encodeKeyOnly(Opcode.NOOP, NO_BYTES, NO_BYTES, opaque, out);
    }
  }

  @Override
  protected void onResponse(int index, Response response, String node) {
    if (index == keys.length) {
      if (error != null) {
        fail(error);
      } else {
        complete(into);
      }
      return;
    }
    if (error != null) {
      return;
    }
    Status status = response.status();
    if (status == Status.NO_ERROR) {
      int position = positions == null ? index : positions[index];
      try {
        into[position] = reader.read(position, response);
      } catch (RuntimeException e) {
        error = e;
      }
    } else if (status != Status.KEY_NOT_FOUND) {
      error = Responses.error(response, node, -1, -1);
    }
  }
}
