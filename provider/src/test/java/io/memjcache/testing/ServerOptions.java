package io.memjcache.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Immutable settings for one memcached server: the usual command-line knobs plus a list of
 * {@link ServerFeature}s (SASL now, TLS later) that add their own arguments, environment and files.
 */
public final class ServerOptions {

  /** The image used when memcached runs in a container. */
  public static final String DEFAULT_IMAGE = "memcached:1.6";

  private static final ServerOptions DEFAULTS = builder().build();

  private final int memoryMb;
  private final String maxItemSize;
  private final Integer maxConnections;
  private final int threads;
  private final int verbosity;
  private final List<String> extraArgs;
  private final List<ServerFeature> features;
  private final String user;
  private final Path binary;
  private final String dockerImage;
  private final Duration startTimeout;
  private final Duration stopTimeout;

  private ServerOptions(Builder b) {
    this.memoryMb = b.memoryMb;
    this.maxItemSize = b.maxItemSize;
    this.maxConnections = b.maxConnections;
    this.threads = b.threads;
    this.verbosity = b.verbosity;
    this.extraArgs = List.copyOf(b.extraArgs);
    this.features = List.copyOf(b.features);
    this.user = b.user;
    this.binary = b.binary;
    this.dockerImage = b.dockerImage;
    this.startTimeout = b.startTimeout;
    this.stopTimeout = b.stopTimeout;
  }

  /** 64 MB, two threads, memcached's defaults for everything else. */
  public static ServerOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding a copy of these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.memoryMb = memoryMb;
    b.maxItemSize = maxItemSize;
    b.maxConnections = maxConnections;
    b.threads = threads;
    b.verbosity = verbosity;
    b.extraArgs.addAll(extraArgs);
    b.features.addAll(features);
    b.user = user;
    b.binary = binary;
    b.dockerImage = dockerImage;
    b.startTimeout = startTimeout;
    b.stopTimeout = stopTimeout;
    return b;
  }

  /** {@code -m}: memory for items, in megabytes. */
  public int memoryMb() {
    return memoryMb;
  }

  /** {@code -I}: the item size limit, such as "1m" or "512k"; empty means memcached's default. */
  public Optional<String> maxItemSize() {
    return Optional.ofNullable(maxItemSize);
  }

  /** {@code -c}: the connection limit; empty means memcached's default. */
  public OptionalInt maxConnections() {
    return maxConnections == null ? OptionalInt.empty() : OptionalInt.of(maxConnections);
  }

  /** {@code -t}: worker threads. */
  public int threads() {
    return threads;
  }

  /** 0 to 3: how many {@code -v} flags. */
  public int verbosity() {
    return verbosity;
  }

  public boolean verbose() {
    return verbosity > 0;
  }

  /** Raw arguments appended after all others. */
  public List<String> extraArgs() {
    return extraArgs;
  }

  public List<ServerFeature> features() {
    return features;
  }

  /** The {@code -u} user, passed only when the JVM runs as root. */
  public String user() {
    return user;
  }

  /** An explicit memcached binary; empty means {@code MEMCACHED_BIN}, then the PATH. */
  public Optional<Path> binary() {
    return Optional.ofNullable(binary);
  }

  public String dockerImage() {
    return dockerImage;
  }

  public Duration startTimeout() {
    return startTimeout;
  }

  /** How long a SIGTERM may take before the process is killed. */
  public Duration stopTimeout() {
    return stopTimeout;
  }

  /** The tuning arguments these options stand for (no listener, user or feature arguments). */
  List<String> tuningArgs() {
    List<String> args = new ArrayList<>();
    args.add("-m");
    args.add(Integer.toString(memoryMb));
    args.add("-t");
    args.add(Integer.toString(threads));
    if (maxItemSize != null) {
      args.add("-I");
      args.add(maxItemSize);
    }
    if (maxConnections != null) {
      args.add("-c");
      args.add(maxConnections.toString());
    }
    if (verbosity > 0) {
      args.add("-" + "v".repeat(verbosity));
    }
    return args;
  }

  @Override
  public String toString() {
    return "ServerOptions" + tuningArgs() + (extraArgs.isEmpty() ? "" : " extra" + extraArgs)
        + (features.isEmpty() ? "" : " features" + features);
  }

  /** Collects options; {@link #build()} checks them. */
  public static final class Builder {
    private int memoryMb = 64;
    private String maxItemSize;
    private Integer maxConnections;
    private int threads = 2;
    private int verbosity;
    private final List<String> extraArgs = new ArrayList<>();
    private final List<ServerFeature> features = new ArrayList<>();
    private String user = "memcache";
    private Path binary;
    private String dockerImage = DEFAULT_IMAGE;
    private Duration startTimeout = Duration.ofSeconds(15);
    private Duration stopTimeout = Duration.ofSeconds(5);

    private Builder() {}

    public Builder memoryMb(int megabytes) {
      this.memoryMb = megabytes;
      return this;
    }

    public Builder maxItemSize(String size) {
      this.maxItemSize = size == null || size.isBlank() ? null : size.trim();
      return this;
    }

    public Builder maxConnections(int connections) {
      this.maxConnections = connections;
      return this;
    }

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    public Builder verbose(boolean verbose) {
      this.verbosity = verbose ? 1 : 0;
      return this;
    }

    public Builder verbosity(int level) {
      this.verbosity = level;
      return this;
    }

    /** Appends raw arguments, passed after every other one. */
    public Builder extraArgs(String... args) {
      Collections.addAll(extraArgs, args);
      return this;
    }

    public Builder feature(ServerFeature feature) {
      features.add(Objects.requireNonNull(feature, "feature"));
      return this;
    }

    public Builder user(String user) {
      this.user = Objects.requireNonNull(user, "user");
      return this;
    }

    public Builder binary(Path binary) {
      this.binary = binary;
      return this;
    }

    public Builder dockerImage(String image) {
      this.dockerImage = Objects.requireNonNull(image, "image");
      return this;
    }

    public Builder startTimeout(Duration timeout) {
      this.startTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public ServerOptions build() {
      require(memoryMb > 0, "memoryMb must be positive: " + memoryMb);
      require(threads > 0, "threads must be positive: " + threads);
      require(maxConnections == null || maxConnections > 0,
          "maxConnections must be positive: " + maxConnections);
      require(verbosity >= 0 && verbosity <= 3, "verbosity must be 0 to 3: " + verbosity);
      require(!user.isBlank(), "user must not be blank");
      require(!startTimeout.isNegative() && !startTimeout.isZero(), "startTimeout must be positive");
      require(!stopTimeout.isNegative(), "stopTimeout must not be negative");
      return new ServerOptions(this);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
