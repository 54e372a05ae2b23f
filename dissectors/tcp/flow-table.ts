/**
 * Values by an unordered pair of TCP endpoints (address, port) — both directions of a connection
 * find the same entry. Looked up by the two ports as one small integer (lower port first, so both
 * directions give the same number), then the few entries sharing those ports are told apart by
 * their addresses. No key string is built and no address string compared by order or hashed per
 * packet: the decoder hands out the same string object for an address it saw recently, so the
 * address checks are mostly identity checks. (Three nested maps by address, address, ports cost
 * ~360 ns a packet in the profile of a capture of 5,000 interleaved connections.) Only when more
 * than CHAIN_MAX entries share two ports (a flood) are they found by an address key instead.
 */
interface Entry<V> {
  ipA: string;
  portA: number;
  ipB: string;
  portB: number;
  value: V;
  /** The next entry with the same two ports. */
  next: Entry<V> | null;
  /** On the first entry of the ports: how many entries share them (while chained). */
  count: number;
  /** On the first entry of the ports, once more than CHAIN_MAX share them: every entry by its addresses. */
  byAddr: Map<string, Entry<V>> | null;
}

/**
 * Entries sharing two ports are walked in a chain up to this many; past it they are found by their
 * addresses in a map of their own. Real captures have a handful per pair of ports; a flood of
 * connections from many addresses to the same ports (a hostile capture) would otherwise make every
 * lookup walk hundreds of thousands of entries.
 */
const CHAIN_MAX = 16;

/** Both ports as one integer below 2^32, the same for either order; a small integer to V8 while the lower port is below 32768. */
function portsKey(a: number, b: number): number {
  return a < b ? (a << 16) | b : (b << 16) | a;
}

/** The two addresses in the order of the ports (the same for both directions of a flow). */
function addrKey(ipA: string, portA: number, ipB: string, portB: number): string {
  return portA < portB || (portA === portB && ipA <= ipB) ? `${ipA} ${ipB}` : `${ipB} ${ipA}`;
}

export class FlowTable<V> {
  private readonly byPorts = new Map<number, Entry<V>>();

  get(ipA: string, portA: number, ipB: string, portB: number): V | undefined {
    const first = this.byPorts.get(portsKey(portA, portB));
    if (first?.byAddr) return first.byAddr.get(addrKey(ipA, portA, ipB, portB))?.value;
    return this.find(first, ipA, portA, ipB, portB)?.value;
  }

  /** Sets the value of the pair; a value already there for it (either direction) is replaced. */
  set(ipA: string, portA: number, ipB: string, portB: number, value: V): void {
    const key = portsKey(portA, portB);
    const first = this.byPorts.get(key);
    if (first?.byAddr) {
      const k = addrKey(ipA, portA, ipB, portB);
      const hit = first.byAddr.get(k);
      if (hit) hit.value = value;
      else first.byAddr.set(k, { ipA, portA, ipB, portB, value, next: null, count: 0, byAddr: null });
      return;
    }
    const hit = this.find(first, ipA, portA, ipB, portB);
    if (hit) {
      hit.value = value;
      return;
    }
    const head: Entry<V> = { ipA, portA, ipB, portB, value, next: first ?? null, count: (first?.count ?? 0) + 1, byAddr: null };
    if (head.count > CHAIN_MAX) {
      head.byAddr = new Map();
      for (let e: Entry<V> | null = head; e; e = e.next) head.byAddr.set(addrKey(e.ipA, e.portA, e.ipB, e.portB), e);
    }
    this.byPorts.set(key, head);
  }

  clear(): void {
    this.byPorts.clear();
  }

  private find(e: Entry<V> | null | undefined, ipA: string, portA: number, ipB: string, portB: number): Entry<V> | undefined {
    for (; e; e = e.next) {
      if (e.portA === portA && e.portB === portB && e.ipA === ipA && e.ipB === ipB) return e;
      if (e.portA === portB && e.portB === portA && e.ipA === ipB && e.ipB === ipA) return e;
    }
    return undefined;
  }
}
