package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.protocol.Request;
import io.memjcache.internal.protocol.Response;
import io.memjcache.internal.protocol.Status;
import io.memjcache.internal.transport.MemcachedServerException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class ExistsCommandTest {
  private static final byte[][] KEYS = {bytes("a"), bytes("b"), bytes("c")};

  @Test
  void frames_eachKey_anIncrementThatCannotSucceedOrCreate() {
    Request[] frames = new ExistsCommand(KEYS).frames();

    assertEquals(3, frames.length);
    for (int i = 0; i < frames.length; i++) {
      Request frame = frames[i];
      assertEquals(Opcode.INCREMENT, frame.opcode(), "not quiet: every key is answered");
      assertArrayEquals(KEYS[i], frame.key());
      assertEquals(-1L, frame.cas(), "a CAS token no item has");
      // delta 0, initial 0, expiration 0xffffffff: never create the item
      assertEquals("0000000000000000" + "0000000000000000" + "ffffffff", HexFormat.of().formatHex(frame.extras()));
      assertEquals(0, frame.value().length, "no value");
    }
  }

  @Test
  void onResponse_notFoundCasMismatchAndNonNumeric_absentPresentPresent() throws Exception {
    ExistsCommand command = new ExistsCommand(KEYS);
    command.onResponse(0, response(Status.KEY_NOT_FOUND), "n");
    command.onResponse(1, response(Status.KEY_EXISTS), "n");
    assertFalse(command.future().isDone(), "waits for every key");
    command.onResponse(2, response(Status.NON_NUMERIC_VALUE), "n");

    assertArrayEquals(new boolean[] {false, true, true}, command.future().get());
  }

  @Test
  void onResponse_success_failsBecauseTheProbeMustNotChangeAnything() {
    ExistsCommand command = new ExistsCommand(new byte[][] {bytes("a")});
    command.onResponse(0, response(Status.NO_ERROR), "n");

    ExecutionException e = assertThrows(ExecutionException.class, () -> command.future().get());
    assertTrue(e.getCause() instanceof MemcachedServerException, e.getCause().toString());
  }

  @Test
  void onResponse_serverError_failsTheCommand() {
    ExistsCommand command = new ExistsCommand(KEYS);
    command.onResponse(0, response(Status.KEY_EXISTS), "n");
    command.onResponse(1, response(Status.OUT_OF_MEMORY), "n");
    command.onResponse(2, response(Status.KEY_EXISTS), "n");

    assertTrue(command.future().isCompletedExceptionally());
  }

  @Test
  void constructor_noKeys_refused() {
    assertThrows(IllegalArgumentException.class, () -> new ExistsCommand(new byte[0][]));
  }

  private static Response response(Status status) {
    return new Response(Opcode.INCREMENT, status.code(), 0, 0L, new byte[0], new byte[0], new byte[0]);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
