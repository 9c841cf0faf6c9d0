package io.memjcache.internal.jcache;

import io.memjcache.internal.config.ConfigLocator;
import io.memjcache.config.EncryptionKey;
import io.memjcache.config.KeyRing;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.cluster.Node;
import io.memjcache.internal.cluster.NodeCounters;
import io.memjcache.internal.cluster.NodeStatus;
import io.memjcache.internal.crypto.ValueEncryption;
import io.memjcache.internal.tls.TlsSessionInfo;
import io.memjcache.internal.transport.Connection;
import io.memjcache.management.ConnectionInfo;
import io.memjcache.management.KeyRingInfo;
import io.memjcache.management.MemcachedManagerMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** The {@link MemcachedManagerMXBean} of one manager, registered while the manager is open. */
final class ManagerBean implements MemcachedManagerMXBean {
  private static final System.Logger LOG = System.getLogger(ManagerBean.class.getName());
  /** How many {@code id=} suffixes to try before giving up on a name (a leak of unclosed managers). */
  private static final int MAX_ID = 1000;

  private final MemcachedCacheManager manager;
  private final Supplier<List<MemcachedCache<?, ?>>> caches;
  private final Supplier<List<MemcachedClient>> clients;
  private final Supplier<List<ValueEncryption>> encryptions;
  private ObjectName name;

  ManagerBean(MemcachedCacheManager manager, Supplier<List<MemcachedCache<?, ?>>> caches,
      Supplier<List<MemcachedClient>> clients, Supplier<List<ValueEncryption>> encryptions) {
    this.manager = manager;
    this.caches = caches;
    this.clients = clients;
    this.encryptions = encryptions;
  }

  /** The name of the first manager of {@code uri}. */
  static ObjectName objectName(java.net.URI uri) {
    return objectName(uri, 1);
  }

  /** The name of the {@code id}-th manager of {@code uri} registered at once; the first has no {@code id} key. */
  static ObjectName objectName(java.net.URI uri, int id) {
    try {
      return new ObjectName("io.memjcache:type=CacheManager,uri=" + ObjectName.quote(ConfigLocator.redacted(uri))
          + (id == 1 ? "" : ",id=" + id));
    } catch (JMException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Registers the bean under the plain name, or, when another manager of the same URI (another
   * class loader, or another provider) holds it, under the first free {@code id=N}.
   */
  void register() {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    for (int id = 1; id <= MAX_ID; id++) {
      ObjectName objectName = objectName(manager.getURI(), id);
      try {
        server.registerMBean(this, objectName);
        name = objectName;
        if (id > 1) {
          LOG.log(System.Logger.Level.INFO, "another memjcache manager for " + ConfigLocator.redacted(manager.getURI())
              + " is registered; this one's bean is " + objectName);
        }
        return;
      } catch (InstanceAlreadyExistsException e) {
        // taken by another manager of this URI: try the next id
      } catch (JMException e) {
        LOG.log(System.Logger.Level.WARNING, "cannot register the memjcache manager bean: " + e);
        return;
      }
    }
    LOG.log(System.Logger.Level.WARNING, "cannot register the memjcache manager bean for " + ConfigLocator.redacted(manager.getURI())
        + ": " + MAX_ID + " managers of that URI are registered (are managers left unclosed?)");
  }

  /** The name the bean is registered under, or null if it is not registered. */
  ObjectName name() {
    return name;
  }

  void unregister() {
    if (name == null) {
      return;
    }
    try {
      ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
    } catch (InstanceNotFoundException ignored) {
      // already gone
    } catch (JMException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot unregister the memjcache manager bean: " + e);
    }
    name = null;
  }

  @Override
  public String getUri() {
    return ConfigLocator.redacted(manager.getURI());
  }

  @Override
  public String getClassLoader() {
    ClassLoader loader = manager.getClassLoader();
    if (loader == null) {
      return "bootstrap";
    }
    String loaderName = loader.getName();
    return (loaderName == null ? loader.getClass().getName() : loaderName) + "@"
        + Integer.toHexString(System.identityHashCode(loader));
  }

  @Override
  public String[] getCaches() {
    return caches.get().stream().map(MemcachedCache::getName).sorted().toArray(String[]::new);
  }

  @Override
  public String[] getNodes() {
    List<String> lines = new ArrayList<>();
    for (MemcachedClient client : clients.get()) {
      String security = (tls(client) ? " tls" : "") + (sasl(client) ? " sasl" : "");
      for (Node node : client.cluster().nodes()) {
        NodeStatus status = node.status();
        lines.add(status.name() + " " + status.state() + security + " failures=" + status.consecutiveFailures()
            + " reconnects=" + node.counters().reconnects() + " timeouts=" + node.counters().timeouts());
      }
    }
    return lines.toArray(String[]::new);
  }

  @Override
  public ConnectionInfo[] getConnections() {
    List<ConnectionInfo> infos = new ArrayList<>();
    for (MemcachedClient client : clients.get()) {
      String security = tls(client) ? (sasl(client) ? "tls+sasl" : "tls") : (sasl(client) ? "sasl" : "plain");
      for (Node node : client.cluster().nodes()) {
        infos.add(info(node, security));
      }
    }
    return infos.toArray(ConnectionInfo[]::new);
  }

  private static ConnectionInfo info(Node node, String security) {
    NodeStatus status = node.status();
    NodeCounters counters = node.counters();
    Optional<Connection> connection = node.openConnection();
    Optional<TlsSessionInfo> tls = connection.flatMap(Connection::tlsSession);
    return new ConnectionInfo(
        node.name(),
        security,
        String.valueOf(status.state()),
        connection.isPresent(),
        connection.flatMap(Connection::readySince).map(Date::from).orElse(null),
        connection.map(Connection::serverVersion).filter(v -> !v.isEmpty()).orElse(null),
        tls.map(TlsSessionInfo::protocol).orElse(null),
        tls.map(TlsSessionInfo::cipherSuite).orElse(null),
        tls.map(TlsSessionInfo::peerSubject).orElse(null),
        tls.map(TlsSessionInfo::peerCertificateExpiry).map(Date::from).orElse(null),
        tls.map(TlsSessionInfo::localSubject).orElse(null),
        connection.flatMap(Connection::saslMechanism).orElse(null),
        connection.flatMap(Connection::saslUser).orElse(null),
        connection.map(Connection::commandsInFlight).orElse(0),
        status.consecutiveFailures(),
        status.lastError(),
        counters.timeouts(),
        counters.reconnects(),
        counters.connectFailures(),
        counters.authenticationFailures(),
        counters.connectionsLost());
  }

  private static boolean tls(MemcachedClient client) {
    return client.settings().pipelineSecurity() != null;
  }

  private static boolean sasl(MemcachedClient client) {
    return !client.settings().connectionStages().isEmpty();
  }

  @Override
  public String[] getEncryptionKeys() {
    return encryptions.get().stream().map(e -> String.valueOf(e.keyRing())).toArray(String[]::new);
  }

  @Override
  public KeyRingInfo[] getKeyRings() {
    List<KeyRingInfo> rings = new ArrayList<>();
    for (ValueEncryption encryption : encryptions.get()) {
      KeyRing ring = encryption.keyRing();
      String source = encryption.settings().keyRing().map(s -> s.description()).orElse("none");
      rings.add(new KeyRingInfo(source, String.valueOf(encryption.settings().algorithm()), ring.primary().id(),
          ids(ring, EncryptionKey.State.ACTIVE), ids(ring, EncryptionKey.State.RETIRED), ring.hashingKey().id()));
    }
    return rings.toArray(KeyRingInfo[]::new);
  }

  private static int[] ids(KeyRing ring, EncryptionKey.State state) {
    return ring.keys().stream().filter(k -> k.state() == state).mapToInt(EncryptionKey::id).toArray();
  }

  @Override
  public long getRejectedValues() {
    long total = 0;
    for (MemcachedCache<?, ?> cache : caches.get()) {
      total += cache.rejectedValues();
    }
    return total;
  }

  @Override
  public long getTimeouts() {
    return sum(NodeCounters::timeouts);
  }

  @Override
  public long getReconnects() {
    return sum(NodeCounters::reconnects);
  }

  @Override
  public long getConnectFailures() {
    return sum(NodeCounters::connectFailures);
  }

  @Override
  public long getAuthenticationFailures() {
    return sum(NodeCounters::authenticationFailures);
  }

  private long sum(ToLongFunction<NodeCounters> counter) {
    long total = 0;
    for (MemcachedClient client : clients.get()) {
      for (Node node : client.cluster().nodes()) {
        total += counter.applyAsLong(node.counters());
      }
    }
    return total;
  }
}
