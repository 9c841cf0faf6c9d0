package io.memjcache.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists what a memcached server holds, without the provider: every key through the text
 * protocol's {@code lru_crawler metadump hash}, and each value by a plain binary GET.
 *
 * <p>The {@code hash} form walks memcached's hash table, so it sees every linked item. The
 * {@code all} form walks the LRU queues instead and can miss an item that memcached's LRU
 * maintainer moves between queues during the walk (a just-read Hibernate entry was missed that
 * way in CI). It needs a listener without SASL (the text protocol) and no TLS.
 */
public final class ItemScan {
  private static final Duration BUSY_WAIT = Duration.ofSeconds(10);

  private ItemScan() {}

  /** One stored item: its key and its value, or a null value if it went away before the GET. */
  public record Item(byte[] key, byte[] value) {}

  /**
   * Every key the server holds.
   *
   * @throws IOException if the server cannot be reached, refuses the command (SASL, an old
   *     version) or stays busy with another crawl for 10 s
   */
  public static List<byte[]> keys(InetSocketAddress address) throws IOException {
    long deadline = System.nanoTime() + BUSY_WAIT.toNanos();
    while (true) {
      List<byte[]> keys = metadump(address);
      if (keys != null) {
        return keys;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("memcached at " + address + " stayed busy with another LRU crawl for " + BUSY_WAIT);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while memcached was busy", e);
      }
    }
  }

  /** Every item the server holds, each key with its value as a GET returns it. */
  public static List<Item> items(InetSocketAddress address) throws IOException {
    List<byte[]> keys = keys(address);
    List<Item> items = new ArrayList<>(keys.size());
    try (RawBinaryClient raw = RawBinaryClient.connect(address, Duration.ofSeconds(5))) {
      for (byte[] key : keys) {
        RawBinaryClient.Response response = raw.call(RawBinaryClient.OP_GET, new byte[0], key, new byte[0]);
        items.add(new Item(key, response.status() == RawBinaryClient.STATUS_OK ? response.value() : null));
      }
    }
    return items;
  }

  /** The keys of one {@code metadump hash}, or null if another crawl kept memcached busy. */
  private static List<byte[]> metadump(InetSocketAddress address) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(address, 5000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write("lru_crawler metadump hash\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      List<byte[]> keys = new ArrayList<>();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.equals("END")) {
          return keys;
        }
        if (line.startsWith("BUSY")) {
          return null;
        }
        if (!line.startsWith("key=")) {
          throw new IOException("memcached at " + address + " answered metadump with: " + line);
        }
        int end = line.indexOf(' ');
        String encoded = line.substring(4, end < 0 ? line.length() : end);
        // memcached percent-encodes every byte but [A-Za-z0-9._~-], so '+' never stands for a space here.
        keys.add(URLDecoder.decode(encoded, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1));
      }
      throw new IOException("memcached at " + address + " closed the connection during metadump");
    }
  }
}
