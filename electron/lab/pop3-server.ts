/**
 * The lab's POP3 server: plain POP3 with STLS on one port, implicit TLS (POP3S) on another, over the
 * lab's mailbox (pop3-session.ts holds the protocol). Bounded: command lines of at most 512 bytes,
 * `maxConnections` at once across both ports, an idle connection closed after `idleMs`, and replies
 * not read by the client stop the server reading more commands until they drain.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { LabMailbox } from './lab-mailbox';
import { readLines } from './line-reader';
import { Pop3Session } from './pop3-session';

export interface Pop3ServerOptions {
  mailbox: LabMailbox;
  checkLogin(user: string, password: string): boolean;
  /** Key and certificate for STLS and the implicit-TLS port; without them neither is offered. */
  tls?: { key: string; cert: string };
  maxConnections?: number;
  idleMs?: number;
  maxLine?: number;
}

export interface Pop3Servers {
  plain: net.Server;
  /** The implicit-TLS server; its 'keylog' event also carries the secrets of STLS sessions on the plain port. */
  secure: tls.Server | null;
  /** Connections open now (both ports). */
  connections(): number;
  close(): Promise<void>;
}

export function createPop3Servers(opts: Pop3ServerOptions): Pop3Servers {
  const maxConnections = opts.maxConnections ?? 32;
  const idleMs = opts.idleMs ?? 10 * 60_000; // RFC 1939: at least 10 minutes
  const maxLine = opts.maxLine ?? 512;
  const open = new Set<net.Socket>();
  const secureContext = opts.tls ? tls.createSecureContext(opts.tls) : null;
  const secure = opts.tls ? tls.createServer({ ...opts.tls }, (s) => serve(s, true)) : null;

  function accept(socket: net.Socket): boolean {
    socket.on('error', () => undefined); // a client that vanished is not the server's problem
    if (open.size >= maxConnections) {
      socket.end(`-ERR [SYS/TEMP] Too many connections (${maxConnections}); try again later\r\n`);
      return false;
    }
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    return true;
  }

  function serve(socket: net.Socket | tls.TLSSocket, isSecure: boolean): void {
    if (!accept(socket)) return;
    const session = new Pop3Session({
      mailbox: opts.mailbox,
      checkLogin: opts.checkLogin,
      tlsAvailable: secureContext !== null,
      secure: isSecure,
      client: { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 },
    });
    socket.setTimeout(idleMs, () => socket.end('-ERR Idle for too long; closing\r\n'));
    socket.write(session.greeting());
    attach(socket, session);
  }

  function attach(socket: net.Socket | tls.TLSSocket, session: Pop3Session): void {
    const stop = readLines(socket, {
      maxLine,
      onTooLong: () => socket.end('-ERR Line too long; closing\r\n'),
      onLine: async (text) => {
        const reply = session.handle(text);
        if (socket.destroyed) return;
        const flushed = socket.write(reply.data);
        if (reply.close) {
          stop();
          socket.end();
          return;
        }
        if (reply.startTls && secureContext && secure) {
          // Whatever the client sent after STLS was sent in clear text: dropped, never read as commands.
          stop();
          upgrade(socket as net.Socket, session);
          return;
        }
        if (!flushed) await new Promise((resolve) => socket.once('drain', resolve).once('close', resolve));
      },
    });
  }

  function upgrade(socket: net.Socket, session: Pop3Session): void {
    const secured = new tls.TLSSocket(socket, {
      isServer: true,
      secureContext: secureContext!,
      server: secure!,
    });
    // A socket made by hand reports its TLS secrets to itself: passed on as tls.Server reports its own.
    secured.on('keylog', (line: Buffer) => secure!.emit('keylog', line, secured));
    secured.on('error', () => socket.destroy());
    secured.once('secure', () => {
      session.tlsStarted();
      attach(secured, session);
    });
  }

  const plain = net.createServer((s) => serve(s, false));
  return {
    plain,
    secure,
    connections: () => open.size,
    close: async () => {
      for (const s of open) s.destroy();
      await Promise.all(
        [plain, secure]
          .filter((s): s is net.Server => s !== null && s.listening)
          .map((s) => new Promise((r) => s.close(r))),
      );
    },
  };
}
