package io.memjcache.internal.client;

import io.memjcache.internal.protocol.Opcode;

/** The storage commands: unconditional, create-only and replace-only. */
public enum StoreMode {
  SET(Opcode.SET, Opcode.SETQ),
  ADD(Opcode.ADD, Opcode.ADDQ),
  REPLACE(Opcode.REPLACE, Opcode.REPLACEQ);

  private final byte opcode;
  private final byte quietOpcode;

  StoreMode(byte opcode, byte quietOpcode) {
    this.opcode = opcode;
    this.quietOpcode = quietOpcode;
  }

  public byte opcode() {
    return opcode;
  }

  public byte quietOpcode() {
    return quietOpcode;
  }
}
