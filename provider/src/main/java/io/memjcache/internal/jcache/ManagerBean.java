package io.memjcache.internal.jcache;

import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.cluster.NodeStatus;
import io.memjcache.internal.crypto.ValueEncryption;
import io.memjcache.management.MemcachedManagerMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** The {@link MemcachedManagerMXBean} of one manager, registered while the manager is open. */
final class ManagerBean implements MemcachedManagerMXBean {
  private static final System.Logger LOG = System.getLogger(ManagerBean.class.getName());

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

  static ObjectName objectName(java.net.URI uri) {
    try {
      return new ObjectName("io.memjcache:type=CacheManager,uri=" + ObjectName.quote(String.valueOf(uri)));
    } catch (JMException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Registers the bean; a name already taken (another class loader's manager) is logged, not fatal. */
  void register() {
    ObjectName objectName = objectName(manager.getURI());
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      server.registerMBean(this, objectName);
      name = objectName;
    } catch (InstanceAlreadyExistsException e) {
      LOG.log(System.Logger.Level.DEBUG, "a memjcache manager bean for " + manager.getURI() + " is already registered");
    } catch (JMException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot register the memjcache manager bean: " + e);
    }
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
    return String.valueOf(manager.getURI());
  }

  @Override
  public String[] getCaches() {
    return caches.get().stream().map(MemcachedCache::getName).sorted().toArray(String[]::new);
  }

  @Override
  public String[] getNodes() {
    List<String> lines = new ArrayList<>();
    for (MemcachedClient client : clients.get()) {
      String security = (client.settings().pipelineSecurity() != null ? " tls" : "")
          + (client.settings().connectionStages().isEmpty() ? "" : " sasl");
      for (NodeStatus node : client.nodeStates()) {
        lines.add(node.name() + " " + node.state() + security + " failures=" + node.consecutiveFailures()
            + " reconnects=" + node.reconnects());
      }
    }
    return lines.toArray(String[]::new);
  }

  @Override
  public String[] getEncryptionKeys() {
    return encryptions.get().stream().map(e -> String.valueOf(e.keyRing())).toArray(String[]::new);
  }

  @Override
  public long getRejectedValues() {
    long total = 0;
    for (MemcachedCache<?, ?> cache : caches.get()) {
      total += cache.rejectedValues();
    }
    return total;
  }
}
