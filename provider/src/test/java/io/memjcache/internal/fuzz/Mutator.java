package io.memjcache.internal.fuzz;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Mutates response streams: bit flips, interesting bytes, insertions, deletions, truncation, lying
 * length fields (body, key, extras), magic changes, splices of other frames and plain noise.
 */
final class Mutator {
  /** Body lengths a hostile or broken server might claim. */
  private static final long[] LYING_BODY_LENGTHS = {
      0, 1, 2, 3, 4, 8, 23, 24, 25, 255, 256, 1023, 1024, 1025, 65535, 65536, 0x7ffffffeL, 0x7fffffffL,
      0x80000000L, 0x80000001L, 0xfffffffeL, 0xffffffffL, 64L * 1024 * 1024, 64L * 1024 * 1024 + 1};
  private static final int[] INTERESTING_BYTES = {0x00, 0x01, 0x7f, 0x80, 0x81, 0xfe, 0xff};

  private final Random random;
  private final List<byte[]> seeds;
  private final int maxBodyLength;

  Mutator(Random random, List<byte[]> seeds, int maxBodyLength) {
    this.random = random;
    this.seeds = seeds;
    this.maxBodyLength = maxBodyLength;
  }

  byte[] seed() {
    return seeds.get(random.nextInt(seeds.size()));
  }

  /** One to four mutations of one to three concatenated seeds (or noise, now and then). */
  byte[] next() {
    if (random.nextInt(50) == 0) {
      return noise(random.nextInt(200));
    }
    byte[] data = seed();
    int frames = 1 + (random.nextInt(4) == 0 ? random.nextInt(3) : 0);
    for (int i = 1; i < frames; i++) {
      data = concat(data, seed());
    }
    int mutations = 1 + random.nextInt(4);
    for (int i = 0; i < mutations; i++) {
      data = mutate(data);
    }
    return data;
  }

  byte[] mutate(byte[] data) {
    int op = random.nextInt(12);
    switch (op) {
      case 0: { // flip one bit
        if (data.length == 0) {
          return data;
        }
        byte[] out = data.clone();
        int at = random.nextInt(out.length);
        out[at] ^= (byte) (1 << random.nextInt(8));
        return out;
      }
      case 1: { // an interesting or random byte, preferably in the header
        if (data.length == 0) {
          return data;
        }
        byte[] out = data.clone();
        int at = random.nextBoolean() ? random.nextInt(Math.min(24, out.length)) : random.nextInt(out.length);
        out[at] = (byte) (random.nextBoolean() ? INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)]
            : random.nextInt(256));
        return out;
      }
      case 2: { // insert random bytes
        int at = random.nextInt(data.length + 1);
        byte[] insert = noise(1 + random.nextInt(16));
        return concat(Arrays.copyOf(data, at), insert, Arrays.copyOfRange(data, at, data.length));
      }
      case 3: { // delete a range
        if (data.length == 0) {
          return data;
        }
        int at = random.nextInt(data.length);
        int length = 1 + random.nextInt(Math.min(32, data.length - at));
        return concat(Arrays.copyOf(data, at), Arrays.copyOfRange(data, at + length, data.length));
      }
      case 4:
      case 5: { // lie in the body length of the first or a later frame
        int header = headerOffset(data);
        if (header < 0) {
          return data;
        }
        byte[] out = data.clone();
        long length = random.nextInt(3) == 0
            ? maxBodyLength + (long) random.nextInt(3) - 1
            : LYING_BODY_LENGTHS[random.nextInt(LYING_BODY_LENGTHS.length)];
        if (random.nextInt(4) == 0) {
          length = random.nextInt() & 0xffffffffL;
        }
        putInt(out, header + 8, (int) length);
        return out;
      }
      case 6: { // lie in the key length or the extras length
        int header = headerOffset(data);
        if (header < 0) {
          return data;
        }
        byte[] out = data.clone();
        if (random.nextBoolean()) {
          int keyLength = random.nextBoolean() ? 0xffff : random.nextInt(300);
          out[header + 2] = (byte) (keyLength >>> 8);
          out[header + 3] = (byte) keyLength;
        } else {
          out[header + 4] = (byte) (random.nextBoolean() ? 0xff : random.nextInt(40));
        }
        return out;
      }
      case 7: { // truncate
        return Arrays.copyOf(data, random.nextInt(data.length + 1));
      }
      case 8: { // another magic: a request's, ASCII text, or anything
        if (data.length == 0) {
          return data;
        }
        byte[] out = data.clone();
        int[] magics = {0x80, 'V', 'E', 0x00, random.nextInt(256)};
        out[0] = (byte) magics[random.nextInt(magics.length)];
        return out;
      }
      case 9: // splice another seed in front or behind
        return random.nextBoolean() ? concat(seed(), data) : concat(data, seed());
      case 10: { // duplicate a slice
        if (data.length == 0) {
          return data;
        }
        int at = random.nextInt(data.length);
        int length = 1 + random.nextInt(Math.min(48, data.length - at));
        return concat(Arrays.copyOf(data, at + length), Arrays.copyOfRange(data, at, data.length));
      }
      default: { // overwrite a random stretch with noise
        if (data.length == 0) {
          return data;
        }
        byte[] out = data.clone();
        int at = random.nextInt(out.length);
        int length = 1 + random.nextInt(Math.min(8, out.length - at));
        for (int i = 0; i < length; i++) {
          out[at + i] = (byte) random.nextInt(256);
        }
        return out;
      }
    }
  }

  /** The offset of a frame header to tamper with: 0, or where the first frame's body says the next starts. */
  private int headerOffset(byte[] data) {
    if (data.length < 24) {
      return -1;
    }
    long second = 24 + (getInt(data, 8) & 0xffffffffL);
    if (random.nextBoolean() && second + 24 <= data.length) {
      return (int) second;
    }
    return 0;
  }

  byte[] noise(int length) {
    byte[] out = new byte[length];
    random.nextBytes(out);
    if (length > 0 && random.nextBoolean()) {
      out[0] = (byte) 0x81; // get past the magic check
    }
    return out;
  }

  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }

  static int getInt(byte[] data, int at) {
    return ((data[at] & 0xff) << 24) | ((data[at + 1] & 0xff) << 16) | ((data[at + 2] & 0xff) << 8) | (data[at + 3] & 0xff);
  }

  static void putInt(byte[] data, int at, int value) {
    data[at] = (byte) (value >>> 24);
    data[at + 1] = (byte) (value >>> 16);
    data[at + 2] = (byte) (value >>> 8);
    data[at + 3] = (byte) value;
  }
}
