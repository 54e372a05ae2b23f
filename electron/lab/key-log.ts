/**
 * The lab's TLS key log: every secret Node's TLS servers hand to their 'keylog' event, appended as
 * it comes (NSS key log format: CLIENT_RANDOM for TLS 1.2, CLIENT_HANDSHAKE_TRAFFIC_SECRET and its
 * siblings for TLS 1.3), so Wireshark or Wirelens can decrypt the lab's TLS sessions.
 */
import { appendFileSync, closeSync, openSync } from 'node:fs';
import type { EventEmitter } from 'node:events';

export class KeyLog {
  private lines = 0;

  constructor(readonly path: string) {
    closeSync(openSync(path, 'a', 0o600)); // exists from the start, even before the first TLS session
  }

  /** Listens to `server`'s 'keylog' event (a tls.Server, or the server an upgraded socket names). */
  attach(server: EventEmitter): void {
    server.on('keylog', (line: Buffer) => this.write(line));
  }

  write(line: Buffer): void {
    // Each event is one line, newline included; anything else is not key material.
    if (line.length > 1024 || !/^[A-Z0-9_]+ [0-9a-f]+ [0-9a-f]+\n$/i.test(line.toString('latin1'))) return;
    appendFileSync(this.path, line);
    this.lines++;
  }

  get count(): number {
    return this.lines;
  }
}
