package io.memjcache.internal.fuzz;

import io.memjcache.internal.protocol.Opcode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Valid binary-protocol responses of every opcode family memjcache uses: the fuzzers' starting points. */
final class ResponseSeeds {
  private ResponseSeeds() {}

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** One response frame: header, extras, key, value. */
  static byte[] response(byte opcode, int status, int opaque, long cas, byte[] extras, byte[] key, byte[] value) {
    ByteBuffer out = ByteBuffer.allocate(24 + extras.length + key.length + value.length);
    out.put((byte) 0x81).put(opcode).putShort((short) key.length).put((byte) extras.length).put((byte) 0)
        .putShort((short) status).putInt(extras.length + key.length + value.length).putInt(opaque).putLong(cas)
        .put(extras).put(key).put(value);
    return out.array();
  }

  static byte[] flags(int flags) {
    return ByteBuffer.allocate(4).putInt(flags).array();
  }

  static byte[] counter(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  private static final byte[] NONE = new byte[0];

  /** Valid responses covering gets, stores, deletes, counters, touch, stats, version, noop and SASL. */
  static List<byte[]> all() {
    List<byte[]> seeds = new ArrayList<>();
    // gets: hit, hit with key, quiet hits, miss, get-and-touch
    seeds.add(response(Opcode.GET, 0, 1, 0x1122334455667788L, flags(0xdeadbeef), NONE, ascii("hello world")));
    seeds.add(response(Opcode.GETK, 0, 2, 7, flags(0), ascii("user:42"), ascii("{\"name\":\"x\"}")));
    seeds.add(response(Opcode.GETKQ, 0, 3, 8, flags(1), ascii("k"), new byte[300]));
    seeds.add(response(Opcode.GETQ, 0, 4, 9, flags(2), NONE, ascii("v")));
    seeds.add(response(Opcode.GET, 1, 5, 0, NONE, NONE, ascii("Not found")));
    seeds.add(response(Opcode.GAT, 0, 6, 10, flags(3), NONE, ascii("touched")));
    seeds.add(response(Opcode.GATQ, 0, 7, 11, flags(4), NONE, ascii("touched quietly")));
    // stores: stored, exists, too large, not stored; quiet store error
    seeds.add(response(Opcode.SET, 0, 8, 12345, NONE, NONE, NONE));
    seeds.add(response(Opcode.ADD, 2, 9, 0, NONE, NONE, ascii("Data exists for key.")));
    seeds.add(response(Opcode.SET, 3, 10, 0, NONE, NONE, ascii("Too large.")));
    seeds.add(response(Opcode.REPLACE, 1, 11, 0, NONE, NONE, ascii("Not found")));
    seeds.add(response(Opcode.APPEND, 5, 12, 0, NONE, NONE, ascii("Not stored.")));
    seeds.add(response(Opcode.PREPEND, 0, 13, 99, NONE, NONE, NONE));
    seeds.add(response(Opcode.SETQ, 3, 14, 0, NONE, NONE, ascii("Too large.")));
    // deletes
    seeds.add(response(Opcode.DELETE, 0, 15, 0, NONE, NONE, NONE));
    seeds.add(response(Opcode.DELETEQ, 1, 16, 0, NONE, NONE, ascii("Not found")));
    // counters
    seeds.add(response(Opcode.INCREMENT, 0, 17, 5, NONE, NONE, counter(-1L)));
    seeds.add(response(Opcode.DECREMENT, 0, 18, 6, NONE, NONE, counter(0)));
    seeds.add(response(Opcode.INCREMENT, 6, 19, 0, NONE, NONE, ascii("Non-numeric server-side value for incr or decr")));
    // touch, noop, quit, version
    seeds.add(response(Opcode.TOUCH, 0, 20, 0, NONE, NONE, NONE));
    seeds.add(response(Opcode.NOOP, 0, 21, 0, NONE, NONE, NONE));
    seeds.add(response(Opcode.QUIT, 0, 22, 0, NONE, NONE, NONE));
    seeds.add(response(Opcode.VERSION, 0, 23, 0, NONE, NONE, ascii("1.6.18")));
    // stats: pairs then the empty terminator
    seeds.add(response(Opcode.STAT, 0, 24, 0, NONE, ascii("item_size_max"), ascii("1048576")));
    seeds.add(response(Opcode.STAT, 0, 24, 0, NONE, NONE, NONE));
    // SASL
    seeds.add(response(Opcode.SASL_LIST_MECHS, 0, 25, 0, NONE, NONE, ascii("PLAIN SCRAM-SHA-256")));
    seeds.add(response(Opcode.SASL_AUTH, 0x21, 26, 0, NONE, NONE, ascii("r=abc,s=c2FsdA==,i=4096")));
    seeds.add(response(Opcode.SASL_STEP, 0x20, 27, 0, NONE, NONE, ascii("Auth failure.")));
    // errors and unknowns: unknown command, unknown status, unknown opcode, extreme opaque and cas
    seeds.add(response((byte) 0x42, 0x81, 28, 0, NONE, NONE, ascii("Unknown command")));
    seeds.add(response(Opcode.GET, 0x1234, -1, -1L, flags(-1), NONE, NONE));
    seeds.add(response(Opcode.GETK, 0, Integer.MIN_VALUE, Long.MIN_VALUE, new byte[255], new byte[250], ascii("x")));
    return seeds;
  }
}
