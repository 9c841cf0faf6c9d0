package io.memjcache.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/** One way of running memcached: a child process or a container. */
interface ServerBackend {

  String host();

  /** Ports of the listeners, in the order given at start. */
  List<Integer> ports();

  Path workDir();

  Path logFile();

  boolean isRunning();

  OptionalLong pid();

  void stop();

  void kill();

  /** Starts again, on the same ports, after stop or kill. */
  void restart();

  /** Stops and releases everything (files, containers). */
  void close();
}
