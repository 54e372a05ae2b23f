/**
 * The lab's SMTP servers, from npm `smtp-server`, behaving like Mailpit for the lessons: every
 * sender and recipient accepted, nothing relayed, each message kept in the lab's mailbox. AUTH
 * PLAIN and LOGIN are offered (pari/ninja; anything else gets 535) but not required; the plain
 * port offers STARTTLS (and AUTH in clear, as the lesson shows), the other port is implicit TLS.
 */
import tls from 'node:tls';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { KeyLog } from './key-log';
import type { LabMailbox } from './lab-mailbox';

export const SMTP_MAX_MESSAGE = 10 * 1024 * 1024;
const MAX_RECIPIENTS = 100;

export interface SmtpLabOptions {
  mailbox: LabMailbox;
  checkLogin(user: string, password: string): boolean;
  tls: { key: string; cert: string };
  keyLog: KeyLog;
}

/**
 * smtp-server makes the TLS socket of STARTTLS and of its implicit-TLS port itself, inside one
 * synchronous call, and gives no hook before the handshake, when the key log must already listen.
 * For the length of that call only, tls.TLSSocket is a subclass that sends its secrets to the lab's
 * key log; nothing else can run meanwhile.
 */
function keyLogged<T>(keyLog: KeyLog, call: () => T): T {
  const Original = tls.TLSSocket;
  class KeyLoggedSocket extends Original {
    constructor(...args: ConstructorParameters<typeof tls.TLSSocket>) {
      super(...args);
      this.on('keylog', (line: Buffer) => keyLog.write(line));
    }
  }
  (tls as { TLSSocket: typeof tls.TLSSocket }).TLSSocket = KeyLoggedSocket;
  try {
    return call();
  } finally {
    (tls as { TLSSocket: typeof tls.TLSSocket }).TLSSocket = Original;
  }
}

type Connection = { upgrade(...a: unknown[]): unknown; connectionReady(...a: unknown[]): void };
type ServerInternals = {
  _upgrade(...a: unknown[]): unknown;
  connections: Set<Connection>;
  connect(...a: unknown[]): void;
};

/**
 * smtp-server waits 100 ms before its greeting and answers 421 "You talk too soon" to anything sent
 * meanwhile (a guard against spammers). The lessons' `printf … | nc` sends every line at once, and
 * Mailpit reads them after its greeting: so does the lab. The greeting goes at once (no reverse DNS
 * lookup to wait for), before the client's bytes are read; the library's own delayed call is then a no-op.
 */
function greetAtOnce(connection: Connection): void {
  const ready = connection.connectionReady.bind(connection);
  let done = false;
  connection.connectionReady = (...a: unknown[]) => {
    if (done) return;
    done = true;
    ready(...a);
  };
  connection.connectionReady();
}

function labServer(opts: SmtpLabOptions, secure: boolean): SMTPServer {
  const options: SMTPServerOptions = {
    name: 'mail.lab.local',
    banner: 'Wirelens lab (like Mailpit: keeps every message, relays none)',
    secure,
    key: opts.tls.key,
    cert: opts.tls.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: true,
    allowInsecureAuth: true,
    size: SMTP_MAX_MESSAGE,
    maxClients: 32,
    disableReverseLookup: true,
    closeTimeout: 500, // Ctrl+C does not wait for clients still connected
    logger: false,
    onConnect(_session, cb) {
      cb(); // at once (the library's default waits a turn): see greetAtOnce
    },
    onSecure(_socket, _session, cb) {
      cb(); // likewise on the implicit-TLS port
    },
    onAuth(auth, _session, cb) {
      if (auth.method !== 'XOAUTH2' && opts.checkLogin(auth.username ?? '', auth.password ?? ''))
        return cb(null, { user: auth.username });
      const err = Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 });
      cb(err);
    },
    onRcptTo(_address, session, cb) {
      if (session.envelope.rcptTo.length >= MAX_RECIPIENTS)
        return cb(
          Object.assign(new Error(`Too many recipients (at most ${MAX_RECIPIENTS})`), { responseCode: 452 }),
        );
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (d: Buffer) => {
        size += d.length;
        if (size <= SMTP_MAX_MESSAGE) chunks.push(d);
      });
      stream.on('end', () => {
        if ((stream as { sizeExceeded?: boolean }).sizeExceeded || size > SMTP_MAX_MESSAGE) {
          return cb(
            Object.assign(new Error(`Message too big (at most ${SMTP_MAX_MESSAGE} bytes)`), {
              responseCode: 552,
            }),
          );
        }
        const from = session.envelope.mailFrom;
        const m = opts.mailbox.add(
          { mailFrom: from ? from.address : '', rcptTo: session.envelope.rcptTo.map((r) => r.address) },
          Buffer.concat(chunks),
          {
            address: session.remoteAddress,
            port: session.remotePort ?? 0,
            tls: session.secure,
            user: typeof session.user === 'string' ? session.user : null,
          },
        );
        cb(null, `Ok: queued as ${m.uid}`);
      });
    },
  };
  const server = new SMTPServer(options);
  const internals = server as unknown as ServerInternals;
  const upgradeImplicit = internals._upgrade.bind(server);
  internals._upgrade = (...a: unknown[]) => keyLogged(opts.keyLog, () => upgradeImplicit(...a));
  const connect = internals.connect.bind(server);
  internals.connect = (...a: unknown[]) => {
    connect(...a);
    const connection = [...internals.connections].pop();
    if (!connection) return;
    if (internals.connections.size <= (options.maxClients ?? Infinity)) greetAtOnce(connection); // beyond it, the library has refused it
    const upgrade = connection.upgrade.bind(connection);
    connection.upgrade = (...b: unknown[]) => keyLogged(opts.keyLog, () => upgrade(...b));
  };
  server.on('error', () => undefined); // a client's TLS or protocol error is that client's; the server keeps serving
  return server;
}

export function createSmtpServers(opts: SmtpLabOptions): { plain: SMTPServer; secure: SMTPServer } {
  return { plain: labServer(opts, false), secure: labServer(opts, true) };
}
