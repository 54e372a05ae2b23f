/** What a compiled display filter reads from one packet. */
export interface PacketFieldAccessor {
  /** Values of a dotted field (e.g. "tcp.port") in this packet; empty when absent. */
  values(field: string): Array<string | number>;
  hasProtocol(name: string): boolean;
}
