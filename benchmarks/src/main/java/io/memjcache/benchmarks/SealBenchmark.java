package io.memjcache.benchmarks;

import io.memjcache.config.EncryptionKey;
import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.KeyRing;
import io.memjcache.config.KeyRingSource;
import io.memjcache.internal.crypto.RejectedValueException;
import io.memjcache.internal.crypto.ValueEncryption;
import io.memjcache.internal.crypto.ValueSealer;
import io.memjcache.internal.jcache.store.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Value encryption alone, without a server: seal and open of one entry (AES-256-GCM, keys hashed,
 * as {@code memjcache-encrypted}), and the lookup key. Not part of {@link Main}'s run; run it with
 * {@code java -cp benchmarks.jar org.openjdk.jmh.Main SealBenchmark -prof gc}, and with {@code -t 4} for
 * sealing threads that compete.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SealBenchmark {
  @Param({"100", "4096"})
  public int valueSize;

  private ValueSealer sealer;
  private byte[] serializedKey;
  private byte[] lookupKey;
  private byte[] value;
  private byte[] sealed;

  @Setup
  public void setUp() throws RejectedValueException {
    byte[] material = new byte[32];
    new SplittableRandom(7).nextBytes(material);
    KeyRing ring = KeyRing.of(EncryptionKey.of(1, EncryptionKey.State.PRIMARY, material));
    sealer = ValueEncryption.start(EncryptionSettings.builder().keyRing(KeyRingSource.of(ring)).build())
        .sealer("bench-seal");
    serializedKey = "key-0000001234".getBytes(StandardCharsets.UTF_8);
    lookupKey = sealer.lookupKey(serializedKey);
    value = new byte[valueSize];
    new SplittableRandom(11).nextBytes(value);
    sealed = sealer.seal(lookupKey, serializedKey, 1, Envelope.ETERNAL, value);
    if (sealer.open(sealed, lookupKey).serializedValue().length != valueSize) {
      throw new IllegalStateException("the sealed entry did not open to its value");
    }
  }

  @Benchmark
  public byte[] seal() {
    return sealer.seal(lookupKey, serializedKey, 1, Envelope.ETERNAL, value);
  }

  @Benchmark
  public byte[] open() throws RejectedValueException {
    return sealer.open(sealed, lookupKey).serializedValue();
  }

  @Benchmark
  public byte[] lookupKey() {
    return sealer.lookupKey(serializedKey);
  }
}
