package io.memjcache.internal.jcache.management;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.jcache.management.MBeans.Kind;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.Set;
import javax.cache.configuration.MutableConfiguration;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class MBeansTest {
  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final URI manager;
  private final CacheStatistics statistics = new CacheStatistics();
  private final MutableConfiguration<Long, String> configuration =
      new MutableConfiguration<Long, String>().setTypes(Long.class, String.class);
  private final CacheConfigurationBean configurationBean = new CacheConfigurationBean(() -> configuration);

  MBeansTest(TestInfo info) {
    manager = URI.create("memcached://mbeans-test/" + info.getTestMethod().orElseThrow().getName());
  }

  @AfterEach
  void unregister() {
    MBeans.unregister(Kind.STATISTICS, manager, "c", statistics);
    MBeans.unregister(Kind.CONFIGURATION, manager, "c", configurationBean);
  }

  /** How the TCK (TestSupport.calculateObjectName and mbeanSafe) computes the names it looks up. */
  private static ObjectName tckName(String type, URI manager, String cache) throws Exception {
    return new ObjectName("javax.cache:type=" + type + ",CacheManager="
        + manager.toString().replaceAll(":|=|\n|,", ".") + ",Cache=" + cache.replaceAll(":|=|\n|,", "."));
  }

  @Test
  void objectName_tckNames_sameAsTck() throws Exception {
    URI uri = URI.create("memcached://host:11211/a=b,c");
    for (String cache : new String[] {"plain", "new cache", "a,b", "a:b=c", "line\nbreak", "org.jsr107.tck.CacheTest"}) {
      assertEquals(tckName("CacheStatistics", uri, cache), MBeans.objectName(Kind.STATISTICS, uri, cache));
      assertEquals(tckName("CacheConfiguration", uri, cache), MBeans.objectName(Kind.CONFIGURATION, uri, cache));
    }
    assertEquals("javax.cache:type=CacheStatistics,CacheManager=memcached.//host.11211/a.b.c,Cache=new cache",
        MBeans.objectName(Kind.STATISTICS, uri, "new cache").toString());
  }

  /** Characters the TCK's replacement leaves in would make a pattern ({@code * ?}) or an invalid name ({@code "}). */
  @Test
  void objectName_patternCharacters_quotedNotPattern() {
    for (String cache : new String[] {"a*", "b?", "say \"hi\""}) {
      ObjectName name = MBeans.objectName(Kind.STATISTICS, manager, cache);
      assertFalse(name.isPattern(), name.toString());
      assertEquals(cache, ObjectName.unquote(name.getKeyProperty("Cache")));
    }
  }

  @Test
  void register_statistics_visibleThroughJmx() throws Exception {
    MBeans.register(Kind.STATISTICS, manager, "c", statistics);
    statistics.recordHits(1);
    statistics.recordMisses(1);
    ObjectName name = tckName("CacheStatistics", manager, "c");
    assertTrue(MBeans.isRegistered(Kind.STATISTICS, manager, "c"));
    assertEquals(1L, server.getAttribute(name, "CacheHits"));
    assertEquals(50.0f, server.getAttribute(name, "CacheHitPercentage"));
    assertEquals(0f, server.getAttribute(name, "AverageGetTime"));

    server.invoke(name, "clear", null, null);
    assertEquals(0L, server.getAttribute(name, "CacheGets"));
  }

  @Test
  void register_configuration_reflectsLaterChangesThroughJmx() throws Exception {
    MBeans.register(Kind.CONFIGURATION, manager, "c", configurationBean);
    ObjectName name = tckName("CacheConfiguration", manager, "c");
    assertEquals("java.lang.Long", server.getAttribute(name, "KeyType"));
    assertEquals("java.lang.String", server.getAttribute(name, "ValueType"));
    assertEquals(false, server.getAttribute(name, "StatisticsEnabled"));
    configuration.setStatisticsEnabled(true);
    assertEquals(true, server.getAttribute(name, "StatisticsEnabled"));
  }

  /** TCK CacheManagerManagementTest.testDoubleRegistration: enabling twice leaves one bean per kind. */
  @Test
  void register_sameBeanTwice_noErrorOneBean() throws Exception {
    MBeans.register(Kind.STATISTICS, manager, "c", statistics);
    MBeans.register(Kind.STATISTICS, manager, "c", statistics);
    MBeans.register(Kind.CONFIGURATION, manager, "c", configurationBean);
    Set<ObjectName> names = server.queryNames(
        new ObjectName("javax.cache:CacheManager=" + MBeans.safe(manager.toString()) + ",*"), null);
    assertEquals(2, names.size());
    assertEquals(1, server.queryNames(new ObjectName("javax.cache:type=CacheStatistics,CacheManager=*,Cache=c"), null)
        .stream().filter(n -> n.getKeyProperty("CacheManager").equals(MBeans.safe(manager.toString()))).count());
  }

  @Test
  void register_otherBeanUnderSameName_replacesIt() throws Exception {
    CacheStatistics older = new CacheStatistics();
    older.recordHits(7);
    MBeans.register(Kind.STATISTICS, manager, "c", older);
    MBeans.register(Kind.STATISTICS, manager, "c", statistics);
    assertEquals(0L, server.getAttribute(tckName("CacheStatistics", manager, "c"), "CacheHits"));

    MBeans.unregister(Kind.STATISTICS, manager, "c", older);
    assertTrue(MBeans.isRegistered(Kind.STATISTICS, manager, "c"), "the older bean's owner must not remove the newer");
  }

  @Test
  void register_wrongBeanForKind_throwsIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> MBeans.register(Kind.CONFIGURATION, manager, "c", statistics));
    assertThrows(IllegalArgumentException.class, () -> MBeans.register(Kind.STATISTICS, manager, "c", configurationBean));
    assertFalse(MBeans.isRegistered(Kind.STATISTICS, manager, "c"));
  }

  @Test
  void unregister_registered_goneFromServer() {
    MBeans.register(Kind.STATISTICS, manager, "c", statistics);
    MBeans.register(Kind.CONFIGURATION, manager, "c", configurationBean);
    MBeans.unregister(Kind.STATISTICS, manager, "c", statistics);
    assertFalse(MBeans.isRegistered(Kind.STATISTICS, manager, "c"));
    assertTrue(MBeans.isRegistered(Kind.CONFIGURATION, manager, "c"));
    MBeans.unregister(Kind.CONFIGURATION, manager, "c", configurationBean);
    assertFalse(MBeans.isRegistered(Kind.CONFIGURATION, manager, "c"));
  }

  @Test
  void unregister_absentOrTwice_noError() {
    assertDoesNotThrow(() -> MBeans.unregister(Kind.STATISTICS, manager, "never", statistics));
    MBeans.register(Kind.STATISTICS, manager, "c", statistics);
    MBeans.unregister(Kind.STATISTICS, manager, "c", statistics);
    assertDoesNotThrow(() -> MBeans.unregister(Kind.STATISTICS, manager, "c", statistics));
  }

  @Test
  void register_afterSomeoneElseUnregistered_registersAgain() throws Exception {
    MBeans.register(Kind.STATISTICS, manager, "c", statistics);
    server.unregisterMBean(tckName("CacheStatistics", manager, "c"));
    MBeans.register(Kind.STATISTICS, manager, "c", statistics);
    assertTrue(MBeans.isRegistered(Kind.STATISTICS, manager, "c"));
  }
}
