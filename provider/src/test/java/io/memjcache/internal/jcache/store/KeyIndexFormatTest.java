package io.memjcache.internal.jcache.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyIndexFormatTest {

  @Test
  void addRecord_key_hasDocumentedLayout() {
    assertEquals("2b02" + "6869", HexFormat.of().formatHex(KeyIndexFormat.addRecord(bytes("hi"))));
    assertEquals("2d00", HexFormat.of().formatHex(KeyIndexFormat.removeRecord(new byte[0])));
    assertEquals(1 + 2 + 200, KeyIndexFormat.recordLength(new byte[200]));
  }

  @Test
  void replay_addsAndRemoves_yieldsLiveKeysInFirstAddOrder() {
    byte[] segment = concat(
        KeyIndexFormat.addRecord(bytes("a")),
        KeyIndexFormat.addRecord(bytes("b")),
        KeyIndexFormat.addRecord(bytes("a")),
        KeyIndexFormat.removeRecord(bytes("b")),
        KeyIndexFormat.addRecord(bytes("c")),
        KeyIndexFormat.removeRecord(bytes("never-added")),
        KeyIndexFormat.addRecord(bytes("b")),
        KeyIndexFormat.addRecord(new byte[0]));
    KeyIndexFormat.Replay replay = KeyIndexFormat.replay(segment);
    assertEquals(List.of("a", "c", "b", ""), strings(replay.liveKeys()));
    assertEquals(8, replay.records());
    assertEquals(segment.length, replay.consumedBytes());
    assertTrue(replay.complete());
  }

  @Test
  void replay_emptySegment_completeAndEmpty() {
    KeyIndexFormat.Replay replay = KeyIndexFormat.replay(new byte[0]);
    assertTrue(replay.complete());
    assertTrue(replay.liveKeys().isEmpty());
    assertEquals(0, replay.records());
  }

  @Test
  void addRecords_compactedSegment_replaysToSameKeys() {
    List<byte[]> keys = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 500; i++) {
      keys.add(EnvelopeTest.randomBytes(random, random.nextInt(0, 300)));
    }
    Set<ByteArrayKey> unique = new LinkedHashSet<>();
    keys.forEach(k -> unique.add(ByteArrayKey.of(k)));
    List<byte[]> uniqueKeys = unique.stream().map(ByteArrayKey::bytes).toList();
    byte[] compacted = KeyIndexFormat.addRecords(uniqueKeys);
    KeyIndexFormat.Replay replay = KeyIndexFormat.replay(compacted);
    assertTrue(replay.complete());
    assertEquals(uniqueKeys.size(), replay.liveKeys().size());
    for (int i = 0; i < uniqueKeys.size(); i++) {
      assertArrayEquals(uniqueKeys.get(i), replay.liveKeys().get(i));
    }
  }

  @Test
  void replay_everyTruncation_stopsAtLastWholeRecord() {
    List<byte[]> records = List.of(
        KeyIndexFormat.addRecord(bytes("first")),
        KeyIndexFormat.addRecord(new byte[300]),
        KeyIndexFormat.removeRecord(bytes("first")),
        KeyIndexFormat.addRecord(bytes("last")));
    byte[] segment = concat(records.toArray(new byte[0][]));
    int[] boundaries = new int[records.size() + 1];
    for (int i = 0; i < records.size(); i++) {
      boundaries[i + 1] = boundaries[i] + records.get(i).length;
    }
    for (int length = 0; length <= segment.length; length++) {
      KeyIndexFormat.Replay replay = KeyIndexFormat.replay(Arrays.copyOf(segment, length));
      int whole = 0;
      while (whole < records.size() && boundaries[whole + 1] <= length) {
        whole++;
      }
      assertEquals(whole, replay.records(), "length " + length);
      assertEquals(boundaries[whole], replay.consumedBytes());
      assertEquals(length == boundaries[whole], replay.complete());
    }
  }

  @Test
  void replay_unknownTag_stopsThere() {
    byte[] segment = concat(KeyIndexFormat.addRecord(bytes("a")), new byte[] {'*', 1, 'x'},
        KeyIndexFormat.addRecord(bytes("b")));
    KeyIndexFormat.Replay replay = KeyIndexFormat.replay(segment);
    assertEquals(List.of("a"), strings(replay.liveKeys()));
    assertFalse(replay.complete());
    assertEquals(3, replay.consumedBytes());
  }

  @Test
  void replay_recordOver64KiB_stopsThere() {
    byte[] tooLong = new byte[KeyIndexFormat.MAX_KEY_LENGTH + 1];
    ByteArrayOutputStream segment = new ByteArrayOutputStream();
    segment.writeBytes(KeyIndexFormat.addRecord(bytes("a")));
    segment.write('+');
    segment.writeBytes(new byte[] {(byte) 0x81, (byte) 0x80, 0x04}); // 65537
    segment.writeBytes(tooLong);
    KeyIndexFormat.Replay replay = KeyIndexFormat.replay(segment.toByteArray());
    assertEquals(List.of("a"), strings(replay.liveKeys()));
    assertFalse(replay.complete());
  }

  @Test
  void replay_lyingLength_stopsWithoutAllocating() {
    byte[] segment = {'+', (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 'x'};
    KeyIndexFormat.Replay replay = KeyIndexFormat.replay(segment);
    assertTrue(replay.liveKeys().isEmpty());
    assertFalse(replay.complete());
  }

  @Test
  void addRecord_keyOf64KiB_accepted_longerRejected() {
    byte[] max = new byte[KeyIndexFormat.MAX_KEY_LENGTH];
    KeyIndexFormat.Replay replay = KeyIndexFormat.replay(KeyIndexFormat.addRecord(max));
    assertEquals(1, replay.liveKeys().size());
    assertThrows(IllegalArgumentException.class, () -> KeyIndexFormat.addRecord(new byte[max.length + 1]));
    assertThrows(IllegalArgumentException.class, () -> KeyIndexFormat.addRecords(List.of(new byte[max.length + 1])));
  }

  @Test
  void replay_randomSegments_neverThrows() {
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 20_000; i++) {
      byte[] segment = EnvelopeTest.randomBytes(random, random.nextInt(0, 64));
      for (int j = 0; j < segment.length; j++) {
        if (random.nextInt(3) == 0) {
          segment[j] = random.nextBoolean() ? (byte) '+' : (byte) '-';
        }
      }
      replayChecked(segment);
    }
  }

  @Test
  void replay_mutatedSegments_neverThrows() {
    SplittableRandom random = new SplittableRandom(12);
    for (int i = 0; i < 5_000; i++) {
      List<byte[]> keys = new ArrayList<>();
      for (int k = random.nextInt(1, 20); k > 0; k--) {
        keys.add(EnvelopeTest.randomBytes(random, random.nextInt(0, 200)));
      }
      byte[] segment = KeyIndexFormat.addRecords(keys);
      for (int m = random.nextInt(1, 4); m > 0; m--) {
        segment[random.nextInt(segment.length)] = (byte) random.nextInt(256);
      }
      replayChecked(Arrays.copyOf(segment, random.nextInt(segment.length + 1)));
    }
  }

  private static void replayChecked(byte[] segment) {
    try {
      KeyIndexFormat.Replay replay = KeyIndexFormat.replay(segment);
      assertTrue(replay.consumedBytes() <= segment.length);
      assertEquals(replay.complete(), replay.consumedBytes() == segment.length);
      assertTrue(replay.liveKeys().size() <= replay.records());
    } catch (RuntimeException e) {
      fail("replay threw " + e + " for " + HexFormat.of().formatHex(segment), e);
    }
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static List<String> strings(List<byte[]> keys) {
    return keys.stream().map(k -> new String(k, UTF_8)).toList();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
