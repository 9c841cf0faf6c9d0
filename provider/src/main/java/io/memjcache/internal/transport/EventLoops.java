package io.memjcache.internal.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The I/O threads shared by every connection of a client, reference counted: the threads start with
 * the first {@link #acquire()} and are shut down, and waited for, when the last user releases them.
 * Native epoll is used when it loads, NIO otherwise.
 */
public final class EventLoops {
  private static final Object LOCK = new Object();
  private static EventLoops shared;

  private final EventLoopGroup group;
  private final Class<? extends SocketChannel> channelType;
  private final String transportName;
  private int references;

  private EventLoops(int threads) {
    DefaultThreadFactory threadFactory = new DefaultThreadFactory("memjcache-io", true);
    if (Epoll.isAvailable()) {
      group = new MultiThreadIoEventLoopGroup(threads, threadFactory, EpollIoHandler.newFactory());
      channelType = EpollSocketChannel.class;
      transportName = "epoll";
    } else {
      group = new MultiThreadIoEventLoopGroup(threads, threadFactory, NioIoHandler.newFactory());
      channelType = NioSocketChannel.class;
      transportName = "nio";
    }
  }

  /** Takes a reference to the shared event loops, starting them if needed. */
  public static EventLoops acquire() {
    synchronized (LOCK) {
      if (shared == null) {
        shared = new EventLoops(Math.max(1, Runtime.getRuntime().availableProcessors()));
      }
      shared.references++;
      return shared;
    }
  }

  /** Gives back a reference; the last one shuts the threads down and waits for them to end. */
  public void release() {
    boolean shutdown;
    synchronized (LOCK) {
      if (references == 0) {
        return;
      }
      references--;
      shutdown = references == 0;
      if (shutdown && shared == this) {
        shared = null;
      }
    }
    if (shutdown) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
  }

  public EventLoopGroup group() {
    return group;
  }

  public Class<? extends SocketChannel> channelType() {
    return channelType;
  }

  /** "epoll" or "nio". */
  public String transportName() {
    return transportName;
  }
}
