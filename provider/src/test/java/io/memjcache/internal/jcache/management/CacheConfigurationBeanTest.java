package io.memjcache.internal.jcache.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

class CacheConfigurationBeanTest {

  @Test
  void getters_configuration_reflectIt() {
    var configuration = new MutableConfiguration<BigDecimal, String>()
        .setTypes(BigDecimal.class, String.class)
        .setReadThrough(true).setWriteThrough(false).setStoreByValue(false)
        .setStatisticsEnabled(true).setManagementEnabled(false);
    var bean = new CacheConfigurationBean(() -> configuration);
    assertEquals("java.math.BigDecimal", bean.getKeyType());
    assertEquals("java.lang.String", bean.getValueType());
    assertTrue(bean.isReadThrough());
    assertFalse(bean.isWriteThrough());
    assertFalse(bean.isStoreByValue());
    assertTrue(bean.isStatisticsEnabled());
    assertFalse(bean.isManagementEnabled());
  }

  @Test
  void getters_untypedConfiguration_objectTypes() {
    var bean = new CacheConfigurationBean(MutableConfiguration::new);
    assertEquals("java.lang.Object", bean.getKeyType());
    assertEquals("java.lang.Object", bean.getValueType());
    assertTrue(bean.isStoreByValue());
  }

  @Test
  void getters_configurationChangedLater_showChange() {
    var configuration = new MutableConfiguration<Long, String>();
    var bean = new CacheConfigurationBean(() -> configuration);
    assertFalse(bean.isStatisticsEnabled());
    assertFalse(bean.isManagementEnabled());
    configuration.setStatisticsEnabled(true).setManagementEnabled(true).setTypes(Long.class, String.class);
    assertTrue(bean.isStatisticsEnabled());
    assertTrue(bean.isManagementEnabled());
    assertEquals("java.lang.Long", bean.getKeyType());
  }
}
