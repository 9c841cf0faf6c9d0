package io.memjcache.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads memcached's {@code stats} groups over the text protocol (its own short connection). */
final class ServerStats {
  private ServerStats() {}

  /** {@code stats} for an empty group, else {@code stats GROUP} ("settings", ...). */
  static Map<String, String> read(String host, int port, String group) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 5000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(("stats" + (group.isEmpty() ? "" : " " + group) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      Map<String, String> stats = new LinkedHashMap<>();
      for (String line = in.readLine(); line != null && !line.equals("END"); line = in.readLine()) {
        String[] parts = line.split(" ", 3);
        if (parts.length == 3 && parts[0].equals("STAT")) {
          stats.put(parts[1], parts[2]);
        } else {
          throw new IOException("unexpected stats line: " + line);
        }
      }
      return stats;
    }
  }
}
