package io.memjcache.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PipelinedStorageGuardTest {

  @Test
  void recordLimit_guardSwitchedOff_isZero() {
    PipelinedStorageGuard.enabled = false;
    try {
      assertEquals(0, PipelinedStorageGuard.recordLimit("1.6.18"));
    } finally {
      PipelinedStorageGuard.enabled = true;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.6.18", "1.6.38", "1.5.22", "1.4.5", "1.6.9", "1.6", "1.6.x", "", "garbage", " 1.6.21 "})
  void olderThanFix_affectedOrUnknownVersions_areGuarded(String version) {
    assertTrue(PipelinedStorageGuard.olderThanFix(version), version);
    assertEquals(PipelinedStorageGuard.MAX_RECORD_PLAINTEXT, PipelinedStorageGuard.recordLimit(version), version);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.6.39", "1.6.40", "1.6.100", "1.7.0", "2.0.0", "1.6.39-rc1"})
  void olderThanFix_fixedVersions_needNoGuard(String version) {
    assertFalse(PipelinedStorageGuard.olderThanFix(version), version);
    assertEquals(0, PipelinedStorageGuard.recordLimit(version), version);
  }

  @Test
  void olderThanFix_null_isGuarded() {
    assertTrue(PipelinedStorageGuard.olderThanFix(null));
  }

  @Test
  void maxRecordPlaintext_leavesRoomForACarriedOverHeaderKeyAndExtras() {
    // memcached's read buffer is 16 KB; a partial command kept from the previous read is at most a
    // 24-byte header, 20 bytes of extras and a 250-byte key.
    assertTrue(PipelinedStorageGuard.MAX_RECORD_PLAINTEXT + 24 + 20 + 250 <= 16 * 1024);
  }
}
