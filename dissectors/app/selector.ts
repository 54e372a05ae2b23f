/**
 * Chooses each connection's application protocol and runs its handler over the reassembled streams.
 * Order of rules: an FTP data connection announced on a control connection; `--decode-as PORT=PROTO`;
 * the server's well-known port (implicit TLS on 443/465/995/990/993 starts with TLS); then, on any
 * other port, content heuristics on the first bytes (SMTP/FTP `220` banner, POP3 `+OK`, an HTTP
 * request or status line, a TLS record header, a SOCKS5 greeting and its answer); a connection none
 * of these claims is searched for a TLS handshake (an upgrade inside a protocol Wirelens does not
 * read). Each connection records which rule decided.
 */
import { latin1 } from '../model/bytes-text';
import type { Direction, StreamChunk, StreamGap } from '../tcp/types';
import { createFtpDataHandler } from './ftp/ftp-data';
import { createFtpHandler } from './ftp/ftp';
import type { HandlerHost, ProtocolHandler } from './handler';
import { createHttpHandler } from './http/http';
import { AppOutput } from './output';
import { createPop3Handler } from './pop3/pop3';
import { createSmtpHandler } from './smtp/smtp';
import { createSocksHandler } from './socks/socks';
import { StreamBuffer } from './stream-buffer';
import { createHelloFinder } from './tls/hello-finder';
import { createTlsHandler } from './tls/tls-handler';
import type { AppContext, AppDissector, AppProtocol, DataConnectionExpectation, ProtocolBy } from './types';

type Cleartext = Exclude<AppProtocol, 'ftp-data' | 'unknown'>;

/** Well-known ports: [cleartext protocol, implicit TLS]. */
const PORTS: Record<number, [Cleartext, boolean]> = {
  21: ['ftp', false],
  25: ['smtp', false],
  587: ['smtp', false],
  1025: ['smtp', false],
  2525: ['smtp', false],
  110: ['pop3', false],
  1110: ['pop3', false],
  80: ['http', false],
  8080: ['http', false],
  8000: ['http', false],
  8025: ['http', false],
  3128: ['http', false],
  443: ['http', true],
  8443: ['http', true],
  465: ['smtp', true],
  995: ['pop3', true],
  990: ['ftp', true],
  993: ['tls', true],
  1080: ['socks', false],
};

export interface SelectorOptions {
  decodeAs?: Map<number, AppProtocol>;
  dataExpectation?: DataConnectionExpectation | null;
  keepPayloads?: boolean;
}

export function protocolForPort(port: number): AppProtocol {
  return PORTS[port]?.[0] ?? 'unknown';
}

/** Bytes looked at before giving up on a content heuristic. */
const SNIFF_LIMIT = 4096;

/** Guess from the first bytes of the server (banner protocols) or of the client (HTTP, TLS). */
export function guessFromContent(server: Uint8Array, client: Uint8Array): Cleartext | 'undecided' | 'none' {
  const s = latin1(server, 512);
  const c = latin1(client, 512);
  if (client.length >= 3 && client[0] === 0x16 && client[1] === 3 && client[2] <= 4) return 'tls';
  // SOCKS5 (RFC 1928): the client's greeting (5, n, n methods) answered by the server's choice (5, method).
  if (client.length >= 3 && client[0] === 5 && client[1] >= 1 && client[1] <= 16 && client.length >= 2 + client[1] && server.length >= 2 && server[0] === 5 && (server[1] <= 2 || server[1] === 0xff)) return 'socks';
  if (/^[A-Z]{3,7} \S+ HTTP\/1\.[01]\r?\n/.test(c)) return 'http';
  if (/^HTTP\/1\.[01] \d{3}/.test(s)) return 'http';
  if (/^\+OK/.test(s)) return 'pop3';
  if (/^220[ -]/.test(s)) {
    if (/SMTP|ESMTP|Postfix|Exim|Sendmail|mail/i.test(s.split('\n')[0])) return 'smtp';
    if (/FTP/i.test(s.split('\n')[0])) return 'ftp';
    if (/^(EHLO|HELO)\b/i.test(c)) return 'smtp';
    if (/^(USER|AUTH TLS|AUTH SSL|FEAT|SYST)\b/i.test(c)) return 'ftp';
    return client.length ? 'smtp' : 'undecided';
  }
  if (/^(EHLO|HELO) /i.test(c)) return 'smtp';
  if (server.length + client.length >= SNIFF_LIMIT) return 'none';
  if ((s.includes('\n') || server.length >= 16) && client.length > 0) return 'none';
  return 'undecided';
}

export type Selector = AppDissector & { protocol(): AppProtocol; protocolBy(): ProtocolBy };

/** The protocol a connection gets before any byte is seen (data link, --decode-as, or port). */
export function initialChoice(port: number, options: SelectorOptions = {}): { protocol: AppProtocol; by: ProtocolBy; implicitTls: boolean } {
  const forced = options.decodeAs?.get(port);
  if (options.dataExpectation) return { protocol: 'ftp-data', by: 'port', implicitTls: false };
  if (forced) return { protocol: forced, by: 'user', implicitTls: false };
  const known = PORTS[port];
  return known ? { protocol: known[0], by: 'port', implicitTls: known[1] } : { protocol: 'unknown', by: 'port', implicitTls: false };
}

export function createProtocolSelector(ctx: AppContext, options: SelectorOptions = {}): Selector {
  const first = initialChoice(ctx.connection.server.port, options);
  let protocol: AppProtocol = first.protocol;
  let by: ProtocolBy = first.by;
  const implicitTls = first.implicitTls;
  const out = new AppOutput(protocol, ctx.connection.id);
  const bufs: Record<Direction, StreamBuffer> = { client: new StreamBuffer(), server: new StreamBuffer() };
  let handler: ProtocolHandler | null = null;
  let ended = false;

  const host: HandlerHost = {
    out,
    bufs,
    ctx,
    switchTo(next) {
      handler = next;
      // Bytes already buffered belong to the new protocol (the TLS ClientHello after STARTTLS's 220).
      next.pump('client', ended);
      next.pump('server', ended);
    },
    innerHandler(inner) {
      // Inside TLS: the protocol of the port or of the session that upgraded (STARTTLS/STLS/AUTH TLS);
      // TLS found by content, or on a port of a protocol Wirelens does not read, is told by the decrypted bytes.
      const p = protocol;
      if (p === 'smtp' || p === 'pop3' || p === 'ftp' || p === 'http') return handlerFor(p, inner);
      return sniffingHandler(inner, (found) => {
        protocol = found;
        out.protocol = found;
      });
    },
    tunnel(via) {
      host.switchTo(tunnelHandler(via));
    },
  };

  /**
   * The inside of a tunnel (HTTP CONNECT, SOCKS): TLS when the first bytes are a TLS record (its
   * hellos, SNI and encrypted band shown in this connection), else the protocol the content shows;
   * bytes of no known protocol are shown as tunnelled data.
   */
  function tunnelHandler(via: 'connect' | 'socks'): ProtocolHandler {
    let chosen: ProtocolHandler | null = null;
    let switched = false;
    let raw = false;
    const decide = (final: boolean): void => {
      const c = bufs.client.peek();
      const s = bufs.server.peek();
      if (c.length >= 3 && c[0] === 0x16 && c[1] === 3 && c[2] <= 4) {
        chosen = createTlsHandler(host, via);
        return;
      }
      const g = guessFromContent(s, c);
      if (g === 'undecided' && !final) return;
      if (g === 'smtp' || g === 'pop3' || g === 'ftp' || g === 'http') chosen = handlerFor(g, host);
      else if (g === 'tls') chosen = createTlsHandler(host, via);
      else raw = true;
    };
    return {
      pump(dir, final) {
        if (!chosen && !raw) decide(final);
        if (chosen) {
          if (switched) chosen.pump(dir, final);
          else {
            switched = true;
            host.switchTo(chosen);
          }
          return;
        }
        if (!raw) return;
        const rest = bufs[dir].takeAll();
        if (rest)
          out.event(dir, 'data', { frames: rest.frames, time: rest.time }, `${rest.bytes.length} bytes of tunnelled data`, 'The proxy relays these bytes between the client and the server it connected to; they are not a protocol Wirelens reads.');
      },
      gap() {},
      end() {},
    };
  }

  function handlerFor(p: 'smtp' | 'pop3' | 'ftp' | 'http', h: HandlerHost): ProtocolHandler {
    if (p === 'smtp') return createSmtpHandler(h);
    if (p === 'pop3') return createPop3Handler(h);
    if (p === 'ftp') return createFtpHandler(h);
    return createHttpHandler(h, Boolean(options.keepPayloads));
  }

  /** Waits for the first decrypted bytes, chooses the protocol by content as for a clear connection, then hands over. */
  function sniffingHandler(h: HandlerHost, found: (p: AppProtocol) => void): ProtocolHandler {
    let chosen: ProtocolHandler | null = null;
    let done = false;
    const decide = (final: boolean): void => {
      if (done) return;
      const g = guessFromContent(h.bufs.server.peek(), h.bufs.client.peek());
      if (g === 'undecided' && !final) return;
      done = true;
      if (g === 'smtp' || g === 'pop3' || g === 'ftp' || g === 'http') {
        found(g);
        chosen = handlerFor(g, h);
      }
    };
    return {
      pump(dir, final) {
        decide(final);
        if (chosen) chosen.pump(dir, final);
        else if (done) h.bufs[dir].takeAll();
      },
      gap(g) {
        chosen?.gap(g);
      },
      end() {
        chosen?.end();
      },
    };
  }

  function start(p: AppProtocol, tlsFirst: boolean): void {
    protocol = p;
    out.protocol = p;
    if (p === 'ftp-data' && options.dataExpectation) handler = createFtpDataHandler(host, options.dataExpectation);
    else if (tlsFirst || p === 'tls') handler = createTlsHandler(host, null);
    else if (p === 'smtp') handler = createSmtpHandler(host);
    else if (p === 'pop3') handler = createPop3Handler(host);
    else if (p === 'ftp') handler = createFtpHandler(host);
    else if (p === 'http') handler = createHttpHandler(host, Boolean(options.keepPayloads));
    else if (p === 'socks') handler = createSocksHandler(host);
  }

  if (protocol !== 'unknown') start(protocol, implicitTls);
  // Decode As "plain TCP" (unknown, by the user) means: no dissector, no guessing.
  let undecided = protocol === 'unknown' && by !== 'user';

  function pumpBoth(first: Direction, final: boolean): void {
    if (!handler) return;
    const h = handler;
    h.pump(first, final);
    if (handler === h) h.pump(first === 'client' ? 'server' : 'client', final);
  }

  function decide(final: boolean): void {
    const g = guessFromContent(bufs.server.peek(), bufs.client.peek());
    if (g === 'undecided' && !final) return;
    undecided = false;
    if (g === 'none' || (g === 'undecided' && final)) {
      // A protocol Wirelens does not read: a TLS handshake inside it (after its own STARTTLS) is still found.
      handler = createHelloFinder(host, () => {
        protocol = 'tls';
        out.protocol = 'tls';
        by = 'content';
      });
      pumpBoth('client', final);
      return;
    }
    if (g === 'undecided') return;
    by = 'content';
    start(g, false);
    pumpBoth(g === 'http' || g === 'tls' ? 'client' : 'server', final);
  }

  return {
    onData(chunk: StreamChunk) {
      const buf = bufs[chunk.dir];
      const taken = handler?.bulk && buf.available === 0 ? handler.bulk(chunk.dir, chunk) : 0;
      if (taken === 0) buf.push(chunk);
      else {
        buf.passed(chunk, taken);
        if (taken === chunk.bytes.length) return; // nothing buffered: nothing to pump or settle
      }
      if (undecided) decide(false);
      if (handler) handler.pump(chunk.dir, false);
      else if (!undecided) buf.takeAll(); // no dissector: drop (the stream digest already has the bytes)
      // The chunk's bytes are only valid during this call: keep a copy of what is still buffered.
      bufs.client.settle();
      bufs.server.settle();
    },
    onGap(gap: StreamGap) {
      bufs[gap.dir].reset(gap.offset + gap.length);
      if (handler) {
        out.event(gap.dir, 'note', { frames: [gap.frame], time: gap.time }, `${gap.length} bytes missing`, gap.reason === 'buffer-limit'
          ? 'Wirelens stopped waiting for these bytes (its reassembly buffer limit was reached) and went on after them.'
          : 'These bytes were never captured (lost by the capture, not necessarily by the network). The dissector continues after them.');
        handler.gap(gap);
      }
    },
    onEnd() {
      ended = true;
      if (undecided) decide(true);
      if (handler) {
        const h = handler;
        h.pump('client', true);
        h.pump('server', true);
        if (handler !== h) {
          handler.pump('client', true);
          handler.pump('server', true);
        }
        handler.end();
        if (handler !== h) h.end();
      }
      bufs.client.release();
      bufs.server.release();
    },
    result: () => out.result(),
    protocol: () => protocol,
    protocolBy: () => by,
  };
}
