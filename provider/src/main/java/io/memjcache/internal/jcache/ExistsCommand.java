package io.memjcache.internal.jcache;

import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.protocol.Request;
import io.memjcache.internal.protocol.Response;
import io.memjcache.internal.transport.Command;
import io.memjcache.internal.transport.Responses;

/**
 * Asks one node which of many keys hold an item, without reading, changing or refreshing any of
 * them: key-index compaction needs only that.
 *
 * <p>The binary protocol has no existence check, so each key gets an INCREMENT that cannot
 * succeed: it carries a CAS token no item has (memcached counts tokens up from 1) and the "never
 * create" expiration. memcached looks the item up without bumping it in the LRU, then answers
 * KEY_NOT_FOUND when there is no item (or it has passed its server expiry), and KEY_EXISTS (CAS
 * mismatch) or NON_NUMERIC_VALUE (too short or chunked to be a number, checked first) when there is
 * one; either way the item, its CAS token, expiry and LRU position stay as they were. The frames
 * are ordinary, not quiet: the quiet form would answer the same, since only success is silent.
 */
final class ExistsCommand extends Command<boolean[]> {
  /** A CAS token no item can have. */
  static final long IMPOSSIBLE_CAS = -1L;
  private static final int NO_AUTO_CREATE = 0xffffffff;

  private final Request[] frames;
  private final boolean[] exists;
  private int answered;

  ExistsCommand(byte[][] keys) {
    if (keys.length == 0) {
      throw new IllegalArgumentException("no keys to check");
    }
    this.frames = new Request[keys.length];
    this.exists = new boolean[keys.length];
    byte[] extras = new byte[20]; // delta 0, initial 0, expiration "never create"
    extras[16] = (byte) (NO_AUTO_CREATE >>> 24);
    extras[17] = (byte) (NO_AUTO_CREATE >>> 16);
    extras[18] = (byte) (NO_AUTO_CREATE >>> 8);
    extras[19] = (byte) NO_AUTO_CREATE;
    for (int i = 0; i < keys.length; i++) {
      frames[i] = Request.of(Opcode.INCREMENT, keys[i], extras, null, IMPOSSIBLE_CAS);
    }
  }

  @Override
  public Request[] frames() {
    return frames;
  }

  @Override
  protected void onResponse(int index, Response response, String node) {
    switch (response.status()) {
      case KEY_NOT_FOUND:
        break;
      case KEY_EXISTS:
      case NON_NUMERIC_VALUE:
        exists[index] = true;
        break;
      default:
        // NO_ERROR cannot happen (no item has the token); anything else is an error of the node
        fail(Responses.error(response, node, -1, -1));
        return;
    }
    if (++answered == frames.length) {
      complete(exists);
    }
  }
}
