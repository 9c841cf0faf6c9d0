package io.memjcache.internal.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** Reads the ketama vector files under {@code src/test/resources/ketama/} (format in their headers). */
final class KetamaVectors {

  private KetamaVectors() {}

  /** A memcached server as configured. */
  record Server(String host, int port) {
    static Server parse(String hostPort) {
      int colon = hostPort.lastIndexOf(':');
      return new Server(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  /** One key with its expected server, and where published, its hash and the point it reaches. */
  record Vector(String key, String server, Long keyHash, Long point, int line) {}

  /** One server list with its settings and vectors. */
  record Case(
      String file,
      String name,
      String format,
      List<Server> servers,
      int[] weights,
      Long maxPoint,
      List<Vector> vectors) {

    /** The node key of a server in this case's format ("LIBMEMCACHED_SPY" is libmemcached's "/host:port"). */
    Function<Server, String> nodeKey() {
      if (format.equals("LIBMEMCACHED_SPY")) {
        return s -> "/" + s.host() + ":" + s.port();
      }
      KetamaNodeKeyFormat f = KetamaNodeKeyFormat.valueOf(format);
      return s -> f.nodeKey(s.host(), s.port());
    }

    KetamaContinuum<Server> continuum() {
      if (weights == null) {
        return KetamaContinuum.of(servers, nodeKey());
      }
      return KetamaContinuum.weighted(servers, nodeKey(), s -> weights[servers.indexOf(s)]);
    }

    /** The server a vector names, by host:port, or by host alone when that is unique. */
    Server server(String text) {
      for (Server s : servers) {
        if (s.toString().equals(text)) {
          return s;
        }
      }
      List<Server> byHost = servers.stream().filter(s -> s.host().equals(text)).toList();
      if (byHost.size() != 1) {
        throw new IllegalArgumentException(name + ": no single server for " + text);
      }
      return byHost.get(0);
    }

    @Override
    public String toString() {
      return file + " " + name + " (" + vectors.size() + " vectors)";
    }
  }

  static List<Case> load(String resource) {
    InputStream in = KetamaVectors.class.getResourceAsStream("/ketama/" + resource);
    Objects.requireNonNull(in, "missing test resource ketama/" + resource);
    List<Case> cases = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      Builder current = null;
      String line;
      int number = 0;
      while ((line = r.readLine()) != null) {
        number++;
        if (line.indexOf('\t') >= 0) {
          String[] f = line.split("\t", -1);
          if (current == null || f.length < 2 || f.length > 4) {
            throw new IllegalArgumentException(resource + ":" + number + ": bad vector line");
          }
          Long hash = f.length > 2 ? Long.valueOf(f[2]) : null;
          Long point = f.length > 3 ? Long.valueOf(f[3]) : null;
          current.vectors.add(new Vector(f[0], f[1], hash, point, number));
        } else if (line.startsWith("@case ")) {
          if (current != null) {
            cases.add(current.build());
          }
          current = new Builder(resource, line.substring(6).trim());
        } else if (line.startsWith("@")) {
          String[] f = line.trim().split(" +");
          switch (f[0]) {
            case "@format" -> current.format = f[1];
            case "@servers" ->
                Arrays.stream(f).skip(1).map(Server::parse).forEach(current.servers::add);
            case "@weights" -> current.weights = f[1].equals("equal")
                ? new int[] {-1}
                : Arrays.stream(f).skip(1).mapToInt(Integer::parseInt).toArray();
            case "@maxpoint" -> current.maxPoint = Long.valueOf(f[1]);
            default -> throw new IllegalArgumentException(resource + ":" + number + ": " + f[0]);
          }
        } else if (!line.isBlank() && !line.startsWith("#")) {
          throw new IllegalArgumentException(resource + ":" + number + ": unexpected line");
        }
      }
      if (current != null) {
        cases.add(current.build());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cases;
  }

  private static final class Builder {
    final String file;
    final String name;
    String format;
    final List<Server> servers = new ArrayList<>();
    int[] weights;
    Long maxPoint;
    final List<Vector> vectors = new ArrayList<>();

    Builder(String file, String name) {
      this.file = file;
      this.name = name;
    }

    Case build() {
      Objects.requireNonNull(format, name + ": no @format");
      int[] w = weights;
      if (w != null && w.length == 1 && w[0] == -1) {
        w = new int[servers.size()];
        Arrays.fill(w, 1);
      }
      if (w != null && w.length != servers.size()) {
        throw new IllegalArgumentException(name + ": " + w.length + " weights for " + servers.size() + " servers");
      }
      return new Case(file, name, format, List.copyOf(servers), w, maxPoint, List.copyOf(vectors));
    }
  }
}
