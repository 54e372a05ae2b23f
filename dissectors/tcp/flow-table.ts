/**
 * Values by an unordered pair of TCP endpoints (address, port) — both directions of a connection
 * find the same entry — looked up by address, address, then both ports as one number, instead of
 * building a key string for every packet. With the decoder's cached IPv4 strings the address
 * lookups are identity checks on strings whose hashes are already known.
 */
/**
 * Both ports as one 32-bit integer (negative when the first is 32768 or more): a small integer to
 * V8, where port × 65536 + port went past 2^31 for ephemeral ports and became a heap number to
 * allocate and hash on every lookup.
 */
function portKey(a: number, b: number): number {
  return (a << 16) | b;
}

export class FlowTable<V> {
  private readonly root = new Map<string, Map<string, Map<number, V>>>();

  get(ipA: string, portA: number, ipB: string, portB: number): V | undefined {
    if (ipA > ipB || (ipA === ipB && portA > portB)) return this.root.get(ipB)?.get(ipA)?.get(portKey(portB, portA));
    return this.root.get(ipA)?.get(ipB)?.get(portKey(portA, portB));
  }

  set(ipA: string, portA: number, ipB: string, portB: number, value: V): void {
    if (ipA > ipB || (ipA === ipB && portA > portB)) [ipA, portA, ipB, portB] = [ipB, portB, ipA, portA];
    let second = this.root.get(ipA);
    if (!second) this.root.set(ipA, (second = new Map()));
    let ports = second.get(ipB);
    if (!ports) second.set(ipB, (ports = new Map()));
    ports.set(portKey(portA, portB), value);
  }

  clear(): void {
    this.root.clear();
  }
}
