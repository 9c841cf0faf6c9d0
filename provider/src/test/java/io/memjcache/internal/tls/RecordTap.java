package io.memjcache.internal.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP relay in front of a TLS server that records the type and length of every TLS record the
 * client sends, without decrypting anything: what the framing rule of {@link PipelinedStorageGuard}
 * promises can be read off the record lengths.
 */
final class RecordTap implements AutoCloseable {
  /** One client-to-server TLS record: content type (23 = application data) and ciphertext length. */
  record TlsRecord(int type, int length) {}

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final List<TlsRecord> records = new ArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();

  RecordTap(InetSocketAddress target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "record-tap-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** The records seen so far, in order. */
  synchronized List<TlsRecord> records() {
    return List.copyOf(records);
  }

  synchronized int count() {
    return records.size();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(target.getAddress(), target.getPort());
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        synchronized (this) {
          sockets.add(client);
          sockets.add(server);
        }
        pump(client.getInputStream(), server.getOutputStream(), true);
        pump(server.getInputStream(), client.getOutputStream(), false);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(InputStream in, OutputStream out, boolean tap) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[65536];
      byte[] header = new byte[5];
      int headerFill = 0;
      int bodyLeft = 0;
      try {
        int n;
        while ((n = in.read(buf)) > 0) {
          if (tap) {
            for (int i = 0; i < n; ) {
              if (bodyLeft > 0) {
                int take = Math.min(bodyLeft, n - i);
                bodyLeft -= take;
                i += take;
              } else {
                header[headerFill++] = buf[i++];
                if (headerFill == 5) {
                  int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                  synchronized (this) {
                    records.add(new TlsRecord(header[0] & 0xff, length));
                  }
                  bodyLeft = length;
                  headerFill = 0;
                }
              }
            }
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // connection closed
      } finally {
        try {
          out.close();
        } catch (IOException ignored) {
          // already closed
        }
      }
    }, tap ? "record-tap-up" : "record-tap-down");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public synchronized void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
