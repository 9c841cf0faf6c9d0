package io.memjcache.internal.transport;

import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.protocol.ProtocolException;
import io.memjcache.internal.protocol.Response;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends commands and matches responses to them by opaque. Callers on any thread enqueue commands;
 * the event loop drains the queue and writes everything waiting in one buffer and one flush, so
 * concurrent callers share syscalls. Responses arrive in request order; a response for opaque N
 * proves that every quiet frame sent before N completed silently. A timed-out command stays in the
 * in-flight queue until its answer arrives, so a late answer is discarded and never delivered to
 * another command. On TLS connections to memcached before 1.6.39 the writes are cut into flushes
 * that never split a frame, each one TLS record (see
 * {@link io.memjcache.internal.tls.PipelinedStorageGuard}).
 */
final class CommandHandler extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(CommandHandler.class.getName());
  private static final long SWEEP_PERIOD_MILLIS = 10;

  /**
   * One sent command waiting for answers: its frames carry the opaques {@code first} to
   * {@code first + count - 1}; frames before {@code next} are answered or proved silent.
   */
  private static final class Pending {
    final Command<?> command;
    final int first;
    final int count;
    int next;

    Pending(Command<?> command, int first, int count) {
      this.command = command;
      this.first = first;
      this.count = count;
    }
  }

  private final String node;
  private final ConnectionSettings settings;
  private final Queue<Command<?>> outbound = PlatformDependent.newMpscQueue();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final AtomicInteger commands = new AtomicInteger();
  private final ArrayDeque<Pending> inflight = new ArrayDeque<>();
  private final Runnable flushTask = this::flushOutbound;
  private volatile Channel channel;
  private volatile Throwable closedCause;
  private volatile int recordLimit;
  private int nextOpaque = 1;
  /** The buffer being filled by {@link #flushOutbound}; null between flushes. */
  private ByteBuf out;
  /** Where the command being encoded starts in {@link #out}, and whether part of it was flushed already. */
  private int commandStart;
  private boolean commandPartlySent;
  private ScheduledFuture<?> sweeper;

  CommandHandler(String node, ConnectionSettings settings) {
    this.node = node;
    this.settings = settings;
  }

  /**
   * With a positive limit, flushes so that no frame spans two flushes unless it is larger than the
   * limit, and then ends a flush itself; 0 writes everything waiting in one flush.
   */
  void recordLimit(int limit) {
    recordLimit = limit;
  }

  /** Number of commands queued or awaiting an answer. */
  int commandsInFlight() {
    return commands.get();
  }

  /** Enqueues a command from any thread; fails it at once when the connection is full or closed. */
  <T> void send(Command<T> command) {
    Throwable closed = closedCause;
    if (closed != null) {
      command.fail(closedError(closed));
      return;
    }
    if (commands.incrementAndGet() > settings.maxInFlight()) {
      commands.decrementAndGet();
      command.fail(new BackpressureException(settings.maxInFlight() + " requests already in flight to " + node
          + "; the server or network is not keeping up (raise maxInFlight or slow down)"));
      return;
    }
    long timeout = command.timeoutNanos > 0 ? command.timeoutNanos : settings.operationTimeout().toNanos();
    command.timeoutNanos = timeout;
    command.deadlineNanos = System.nanoTime() + timeout;
    outbound.offer(command);
    Channel ch = channel;
    if (ch != null && flushScheduled.compareAndSet(false, true)) {
      try {
        ch.eventLoop().execute(flushTask);
      } catch (RejectedExecutionException e) {
        command.fail(new ConnectionException("connection to " + node + " is shut down"));
      }
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    sweeper = ctx.executor().scheduleAtFixedRate(this::sweep, SWEEP_PERIOD_MILLIS, SWEEP_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * The pipeline is torn down when the channel deregisters, connected or not: a connection that
   * was refused or timed out never becomes active, so {@link #channelInactive} is never called for
   * it, and its sweep would otherwise run for as long as the event loop does.
   */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stopSweeper();
  }

  private void stopSweeper() {
    if (sweeper != null) {
      sweeper.cancel(false);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    flushOutbound();
    super.channelActive(ctx);
  }

  private void flushOutbound() {
    flushScheduled.set(false);
    Channel ch = channel;
    if (ch == null || !ch.isActive()) {
      if (closedCause != null) {
        failOutbound(closedCause);
      }
      return;
    }
    int limit = recordLimit;
    Command<?> command;
    while ((command = outbound.poll()) != null) {
      if (command.isDone()) {
        commands.decrementAndGet(); // timed out or cancelled before it was written
        continue;
      }
      int first = nextOpaque;
      try {
        encode(ch, command, limit);
      } catch (RuntimeException | OutOfMemoryError e) {
        nextOpaque = first;
        commands.decrementAndGet();
        command.fail(new MemcachedException("could not encode " + Opcode.name(command.opcode(0)) + " for " + node
            + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e));
        if (!commandPartlySent) {
          if (out != null) {
            out.writerIndex(Math.min(commandStart, out.writerIndex())); // none of it reaches the server
          }
          continue;
        }
        closeAfterPartialWrite(ch, e); // part of it already left in an earlier TLS record
        return;
      }
      inflight.addLast(new Pending(command, first, command.frameCount()));
    }
    ByteBuf buffer = out;
    out = null;
    if (buffer != null) {
      if (buffer.isReadable()) {
        ch.writeAndFlush(buffer, ch.voidPromise());
      } else {
        buffer.release();
      }
    }
  }

  /** Encodes every frame of {@code command} into {@link #out}, allocating it first if needed. */
  private void encode(Channel ch, Command<?> command, int limit) {
    commandPartlySent = false;
    commandStart = out == null ? 0 : out.writerIndex(); // before anything here can throw
    int count = command.frameCount();
    if (out == null) {
      int size = 0;
      for (int i = 0; i < count; i++) {
        size += command.frameLength(i);
      }
      out = ch.alloc().ioBuffer(Math.max(limit > 0 ? Math.min(size, limit) : size, 256));
    }
    for (int i = 0; i < count; i++) {
      if (limit > 0 && out.isReadable() && out.readableBytes() + command.frameLength(i) > limit) {
        commandPartlySent |= i > 0; // before frame 0 only earlier commands' bytes leave
        flushRecord(ch, limit); // the frame would straddle two records
        if (i == 0) {
          commandStart = 0;
        }
      }
      command.encode(i, nextOpaque++, out);
      if (limit > 0 && out.readableBytes() >= limit) {
        commandPartlySent = true;
        flushRecord(ch, limit); // a frame larger than a record ends its last one
      }
    }
  }

  /** Writes and flushes {@link #out} (the TLS handler ends a record at every flush) and starts a fresh one. */
  private void flushRecord(Channel ch, int limit) {
    ByteBuf full = out;
    out = null;
    ch.write(full, ch.voidPromise());
    ch.flush();
    out = ch.alloc().ioBuffer(Math.min(limit, 4096));
  }

  private void closeAfterPartialWrite(Channel ch, Throwable cause) {
    if (out != null) {
      out.release();
      out = null;
    }
    if (closedCause == null) {
      closedCause = new ConnectionException("connection to " + node
          + " closed: a request failed to encode after part of it was sent", cause);
    }
    ch.close();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Response response = (Response) msg;
    if (closedCause != null) {
      // A protocol error is closing the connection: frames decoded from the same read after it
      // must not complete anything (a NOOP there would report a batch as all misses).
      response.release();
      return;
    }
    int opaque = response.opaque();
    Pending head = inflight.peekFirst();
    if (head == null || !isPending(opaque, head.first + head.next)) {
      throw new ProtocolException("response " + response + " matches no pending request on " + node);
    }
    while (true) {
      Pending pending = inflight.peekFirst();
      int index = opaque - pending.first;
      if (Integer.compareUnsigned(index, pending.count) < 0) {
        passSilent(pending, index);
        deliver(pending, index, response);
        return;
      }
      passSilent(pending, pending.count); // the answer belongs to a later command
    }
  }

  /**
   * Frames {@code pending.next} to {@code end - 1} passed without an answer, which only quiet ones
   * may; retires the command when that was its last frame.
   */
  private void passSilent(Pending pending, int end) {
    Command<?> command = pending.command;
    for (int i = pending.next; i < end; i++) {
      if (!Opcode.isQuiet(command.opcode(i))) {
        throw new ProtocolException("server skipped the answer to a " + Opcode.name(command.opcode(i)) + " request on " + node);
      }
      pending.next = i + 1;
      if (!command.isDone()) {
        command.onSilent(i);
      }
    }
    if (pending.next == pending.count) {
      inflight.pollFirst();
      finished(command);
    }
  }

  /** Whether {@code opaque} lies between the oldest unanswered opaque and the newest one sent. */
  private boolean isPending(int opaque, int oldest) {
    int newest = nextOpaque - 1;
    return Integer.compareUnsigned(opaque - oldest, newest - oldest) <= 0;
  }

  private void deliver(Pending pending, int index, Response response) {
    Command<?> command = pending.command;
    boolean more = command.awaitsMore(index, response);
    if (!command.isDone()) {
      try {
        command.onResponse(index, response, node);
      } catch (RuntimeException e) {
        command.fail(e);
      }
    }
    if (more) {
      return;
    }
    pending.next = index + 1;
    if (pending.next == pending.count) {
      inflight.pollFirst();
      finished(command);
    }
  }

  private void finished(Command<?> command) {
    commands.decrementAndGet();
    if (!command.isDone()) {
      command.fail(new IllegalStateException("command finished without a result on " + node));
    }
  }

  /** Times out overdue commands, and closes a connection whose oldest request is long overdue. */
  private void sweep() {
    if (inflight.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    for (Pending pending : inflight) {
      Command<?> command = pending.command;
      if (!command.isDone() && now - command.deadlineNanos > 0) {
        command.fail(new MemcachedTimeoutException(Opcode.name(command.opcode(0)) + " to " + node
            + " timed out after " + TimeUnit.NANOSECONDS.toMillis(command.timeoutNanos) + " ms"));
      }
    }
    Pending oldest = inflight.peekFirst();
    if (oldest != null && now - oldest.command.deadlineNanos > oldest.command.timeoutNanos) {
      channel.close();
      closedCause = new MemcachedTimeoutException("no answer from " + node + " for "
          + TimeUnit.NANOSECONDS.toMillis(2 * oldest.command.timeoutNanos) + " ms; connection closed");
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable reason = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (closedCause == null) {
      closedCause = reason;
    }
    LOG.log(System.Logger.Level.WARNING, "closing connection to " + node + ": " + reason.getMessage());
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    stopSweeper();
    if (closedCause == null) {
      closedCause = new ConnectionException("connection to " + node + " closed");
    }
    Pending pending;
    while ((pending = inflight.pollFirst()) != null) {
      commands.decrementAndGet();
      pending.command.fail(closedError(closedCause));
    }
    failOutbound(closedCause);
    super.channelInactive(ctx);
  }

  private void failOutbound(Throwable cause) {
    Command<?> command;
    while ((command = outbound.poll()) != null) {
      commands.decrementAndGet();
      command.fail(closedError(cause));
    }
  }

  /** Marks the handler closed before the channel closes (an explicit close by the client). */
  void markClosed(Throwable cause) {
    if (closedCause == null) {
      closedCause = cause;
    }
  }

  private MemcachedException closedError(Throwable cause) {
    if (cause instanceof MemcachedException) {
      MemcachedException e = (MemcachedException) cause;
      return e instanceof MemcachedTimeoutException
          ? new MemcachedTimeoutException(e.getMessage())
          : new ConnectionException(e.getMessage(), e);
    }
    String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new ConnectionException("connection to " + node + " failed: " + detail, cause);
  }
}
