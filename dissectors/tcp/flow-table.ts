/**
 * Values by an unordered pair of TCP endpoints (address, port) — both directions of a connection
 * find the same entry — looked up by address, address, then both ports as one number, instead of
 * building a key string for every packet. With the decoder's cached IPv4 strings the address
 * lookups are identity checks on strings whose hashes are already known.
 */
export class FlowTable<V> {
  private readonly root = new Map<string, Map<string, Map<number, V>>>();

  get(ipA: string, portA: number, ipB: string, portB: number): V | undefined {
    if (ipA > ipB || (ipA === ipB && portA > portB)) return this.root.get(ipB)?.get(ipA)?.get(portB * 65536 + portA);
    return this.root.get(ipA)?.get(ipB)?.get(portA * 65536 + portB);
  }

  set(ipA: string, portA: number, ipB: string, portB: number, value: V): void {
    if (ipA > ipB || (ipA === ipB && portA > portB)) [ipA, portA, ipB, portB] = [ipB, portB, ipA, portA];
    let second = this.root.get(ipA);
    if (!second) this.root.set(ipA, (second = new Map()));
    let ports = second.get(ipB);
    if (!ports) second.set(ipB, (ports = new Map()));
    ports.set(portA * 65536 + portB, value);
  }

  clear(): void {
    this.root.clear();
  }
}
