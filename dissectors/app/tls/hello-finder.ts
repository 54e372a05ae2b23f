/**
 * Finds a TLS handshake inside a connection of a protocol Wirelens does not read — an upgrade such
 * as IMAP `STARTTLS`, XMPP `<starttls/>` or PostgreSQL's SSLRequest — by looking for a record
 * header (0x16 0x03 0x00–0x04) that starts a plausible ClientHello (client) or ServerHello (server):
 * a handshake of that type whose length fits the record and whose version is 3.x. The bytes before
 * it are skipped (not dissected); from the hello on, the TLS handler reads the direction.
 */
import { latin1 } from '../../model/bytes-text';
import type { Direction } from '../../tcp/types';
import type { HandlerHost, ProtocolHandler } from '../handler';
import { createTlsHandler } from './tls-handler';

const FOUND_NOTE =
  'TLS starts here, inside a connection whose first part is a protocol Wirelens does not read (for example IMAP or XMPP after STARTTLS, or PostgreSQL after its SSLRequest): the handshake was found by its record header, and the bytes before it are not dissected.';

/** Bytes of each direction looked through before giving up (upgrades happen in the first exchanges). */
export const HELLO_SEARCH_LIMIT = 64 * 1024;
const MAX_RECORD = 16384 + 2048;
/** A record header and the start of the hello: enough to judge a candidate. */
const NEEDED = 11;

/** Index of the first plausible hello of `type` (1 ClientHello, 2 ServerHello) in `b`, -1 if none, or 'more' if one may start in the last bytes. */
export function findHello(b: Uint8Array, type: 1 | 2): number | 'more' {
  for (let i = b.indexOf(0x16); i >= 0; i = b.indexOf(0x16, i + 1)) {
    if (i + NEEDED > b.length) return 'more';
    if (b[i + 1] !== 3 || b[i + 2] > 4 || b[i + 5] !== type) continue;
    const recordLength = (b[i + 3] << 8) | b[i + 4];
    const helloLength = (b[i + 6] << 16) | (b[i + 7] << 8) | b[i + 8];
    if (recordLength < NEEDED - 5 || recordLength > MAX_RECORD) continue;
    // version (2) + random (32) + session id length (1) at least; a hello may span several records.
    if (helloLength < 38 || helloLength > 0xffff || helloLength + 4 < recordLength) continue;
    if (b[i + 9] !== 3 || b[i + 10] > 4) continue;
    return i;
  }
  return -1;
}

/**
 * A handler for a connection of unknown protocol: skips each direction's bytes until its hello, then
 * hands that direction to a TLS handler; `onFound` is told once, when the ClientHello or ServerHello is found.
 */
export function createHelloFinder(host: HandlerHost, onFound: () => void): ProtocolHandler {
  const { bufs } = host;
  let tls: ProtocolHandler | null = null;
  const found: Record<Direction, boolean> = { client: false, server: false };
  const searched: Record<Direction, number> = { client: 0, server: 0 };
  let noteAt = -1;
  let sawStarttls = false;
  /** The first TLS event says where TLS came from. */
  const note = (): void => {
    const e = noteAt >= 0 ? host.out.ladder[noteAt] : undefined;
    if (!e) return;
    noteAt = -1;
    e.lines = [...(e.lines ?? []), `! ${FOUND_NOTE}`];
    host.out.diag('tls.found_by_heuristic', 'note', FOUND_NOTE, e.frame);
  };
  return {
    pump(dir, final) {
      const b = bufs[dir];
      if (!found[dir]) {
        if (searched[dir] >= HELLO_SEARCH_LIMIT) {
          b.takeAll();
          return;
        }
        const data = b.peek();
        const at = findHello(data, dir === 'client' ? 1 : 2);
        // The word the upgrade was asked with (IMAP `a STARTTLS`, XMPP `<starttls/>`), in the bytes skipped.
        if (!sawStarttls)
          sawStarttls = /starttls/i.test(
            latin1(typeof at === 'number' && at >= 0 ? data.subarray(0, at) : data, HELLO_SEARCH_LIMIT),
          );
        if (at === -1 || (at === 'more' && final)) {
          searched[dir] += data.length;
          b.takeAll();
          return;
        }
        if (at === 'more') {
          const keep = Math.min(data.length, NEEDED);
          searched[dir] += data.length - keep;
          if (data.length > keep) b.take(data.length - keep);
          return;
        }
        if (at > 0) b.take(at);
        found[dir] = true;
        if (!tls) {
          tls = createTlsHandler(host, sawStarttls ? 'starttls' : null);
          noteAt = host.out.ladder.length;
          onFound();
        }
      }
      tls?.pump(dir, final);
      note();
    },
    gap(g) {
      if (found[g.dir]) tls?.gap(g);
    },
    end() {
      tls?.end();
    },
  };
}
