/** What a compiled display filter reads from one packet. */
export interface PacketFieldAccessor {
  /** Values of a dotted field (e.g. "tcp.port") in this packet; empty when absent. */
  values(field: string): ReadonlyArray<number | string | Uint8Array>;
  hasProtocol(name: string): boolean;
}
