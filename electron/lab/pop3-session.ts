/**
 * One POP3 conversation (RFC 1939, with CAPA from RFC 2449 and STLS from RFC 2595) over the lab's
 * mailbox, without sockets: a line in, the reply out. The server (pop3-server.ts) owns the socket,
 * the TLS upgrade and the limits on lines and connections.
 *
 * States as in the RFC: AUTHORIZATION (USER, PASS, CAPA, STLS, QUIT), TRANSACTION (STAT, LIST, UIDL,
 * RETR, TOP, DELE, NOOP, RSET, CAPA, QUIT), and UPDATE on QUIT, where the messages marked with DELE
 * leave the mailbox. The session sees the mailbox as it was when it logged in: numbers stay fixed.
 */
import type { LabClient, LabMailbox, StoredMessage } from './lab-mailbox';

export interface Pop3Reply {
  /** Bytes to send, CRLF included. */
  data: Buffer;
  /** Close the connection after sending. */
  close?: boolean;
  /** Start TLS after sending (STLS accepted). */
  startTls?: boolean;
}

export interface Pop3SessionOptions {
  mailbox: LabMailbox;
  checkLogin(user: string, password: string): boolean;
  /** STLS can be offered (a certificate is loaded and the connection is not encrypted yet). */
  tlsAvailable: boolean;
  /** The connection is already encrypted (implicit TLS). */
  secure: boolean;
  client: LabClient;
  /** Failed PASS commands before the server hangs up. */
  maxFailedLogins?: number;
}

const line = (text: string): Pop3Reply => ({ data: Buffer.from(`${text}\r\n`, 'latin1') });
const NUMBER = /^[1-9]\d{0,8}$/;

export class Pop3Session {
  state: 'authorization' | 'transaction' | 'update' = 'authorization';
  private user: string | null = null;
  private secure: boolean;
  private failed = 0;
  private messages: StoredMessage[] = [];
  private readonly deleted = new Set<number>();

  constructor(private readonly opts: Pop3SessionOptions) {
    this.secure = opts.secure;
  }

  greeting(): Buffer {
    return line('+OK Wirelens lab POP3 server ready').data;
  }

  /** The connection now runs over TLS (after STLS): the session starts again unauthenticated. */
  tlsStarted(): void {
    this.secure = true;
    this.user = null;
  }

  handle(input: string): Pop3Reply {
    const text = input.replace(/\r?\n$/, '');
    const space = text.indexOf(' ');
    const verb = (space < 0 ? text : text.slice(0, space)).toUpperCase();
    const args =
      space < 0
        ? []
        : text
            .slice(space + 1)
            .split(' ')
            .filter((a) => a !== '');
    if (verb === 'QUIT') return this.quit();
    if (verb === 'CAPA') return this.capa();
    if (this.state === 'authorization')
      return this.authorization(verb, args, space < 0 ? '' : text.slice(space + 1));
    return this.transaction(verb, args);
  }

  private capa(): Pop3Reply {
    const caps = ['USER', 'TOP', 'UIDL', 'RESP-CODES', 'PIPELINING'];
    if (this.state === 'authorization' && this.opts.tlsAvailable && !this.secure) caps.push('STLS');
    caps.push('IMPLEMENTATION Wirelens-lab');
    return { data: Buffer.from(`+OK Capability list follows\r\n${caps.join('\r\n')}\r\n.\r\n`, 'latin1') };
  }

  private authorization(verb: string, args: string[], rest: string): Pop3Reply {
    switch (verb) {
      case 'STLS':
        if (this.secure) return line('-ERR TLS is already active');
        if (!this.opts.tlsAvailable) return line('-ERR TLS is not available');
        return { ...line('+OK Begin TLS negotiation now'), startTls: true };
      case 'USER':
        if (args.length !== 1) return line('-ERR USER takes one argument: the user name');
        this.user = args[0];
        return line('+OK');
      case 'PASS': {
        if (this.user === null) return line('-ERR Give USER first');
        const user = this.user;
        this.user = null;
        // RFC 1939: the password may contain spaces, so it is the rest of the line.
        if (!this.opts.checkLogin(user, rest)) {
          this.failed++;
          const close = this.failed >= (this.opts.maxFailedLogins ?? 3);
          return {
            ...line(`-ERR [AUTH] Authentication failed${close ? '; too many failures, closing' : ''}`),
            close,
          };
        }
        this.messages = [...this.opts.mailbox.list()];
        this.state = 'transaction';
        return line(`+OK Logged in: ${this.messages.length} message${this.messages.length === 1 ? '' : 's'}`);
      }
      case 'APOP':
      case 'AUTH':
        return line(`-ERR ${verb} is not supported here: log in with USER and PASS`);
      default:
        return line(verb === '' ? '-ERR Empty command' : '-ERR Log in first (USER, then PASS)');
    }
  }

  private transaction(verb: string, args: string[]): Pop3Reply {
    switch (verb) {
      case 'STAT': {
        const live = this.live();
        return line(`+OK ${live.length} ${live.reduce((a, [, m]) => a + m.raw.length, 0)}`);
      }
      case 'LIST':
      case 'UIDL': {
        const value = (m: StoredMessage) => (verb === 'LIST' ? String(m.raw.length) : m.uid);
        if (args.length > 1) return line(`-ERR ${verb} takes at most one argument`);
        if (args.length === 1) {
          const found = this.message(args[0]);
          return typeof found === 'string' ? line(found) : line(`+OK ${found[0]} ${value(found[1])}`);
        }
        const live = this.live();
        const head = verb === 'LIST' ? `+OK ${live.length} message${live.length === 1 ? '' : 's'}` : '+OK';
        return {
          data: Buffer.from(
            `${head}\r\n${live.map(([n, m]) => `${n} ${value(m)}\r\n`).join('')}.\r\n`,
            'latin1',
          ),
        };
      }
      case 'RETR':
      case 'TOP': {
        if (verb === 'RETR' ? args.length !== 1 : args.length !== 2)
          return line(
            verb === 'RETR'
              ? '-ERR RETR takes a message number'
              : '-ERR TOP takes a message number and a number of lines',
          );
        const found = this.message(args[0]);
        if (typeof found === 'string') return line(found);
        if (verb === 'TOP' && !/^\d{1,9}$/.test(args[1]))
          return line('-ERR the number of lines must be a number');
        const m = found[1];
        this.opts.mailbox.noteRetrieval(m.uid, { ...this.opts.client, tls: this.secure });
        const body = verb === 'RETR' ? m.raw : topOf(m.raw, Number(args[1]));
        return {
          data: Buffer.concat([
            Buffer.from(verb === 'RETR' ? `+OK ${m.raw.length} octets\r\n` : '+OK\r\n', 'latin1'),
            dotStuff(body),
            Buffer.from('.\r\n'),
          ]),
        };
      }
      case 'DELE': {
        if (args.length !== 1) return line('-ERR DELE takes a message number');
        const found = this.message(args[0]);
        if (typeof found === 'string') return line(found);
        this.deleted.add(found[0]);
        return line(`+OK Message ${found[0]} marked to be deleted`);
      }
      case 'NOOP':
        return line('+OK');
      case 'RSET':
        this.deleted.clear();
        return line(
          `+OK ${this.messages.length} message${this.messages.length === 1 ? '' : 's'}, none marked to be deleted`,
        );
      case 'USER':
      case 'PASS':
      case 'STLS':
        return line('-ERR Already logged in');
      default:
        return line(verb === '' ? '-ERR Empty command' : '-ERR Unknown command');
    }
  }

  private quit(): Pop3Reply {
    if (this.state !== 'transaction') return { ...line('+OK Logging out'), close: true };
    this.state = 'update';
    for (const n of this.deleted) this.opts.mailbox.remove(this.messages[n - 1].uid);
    const left = this.messages.length - this.deleted.size;
    return { ...line(`+OK Logging out: ${this.deleted.size} deleted, ${left} left`), close: true };
  }

  /** Messages not marked deleted, with their session numbers. */
  private live(): Array<[number, StoredMessage]> {
    return this.messages
      .map((m, i) => [i + 1, m] as [number, StoredMessage])
      .filter(([n]) => !this.deleted.has(n));
  }

  private message(arg: string): [number, StoredMessage] | string {
    if (!NUMBER.test(arg)) return '-ERR A message number is a number from 1';
    const n = Number(arg);
    if (n > this.messages.length)
      return `-ERR No message ${n} (there ${this.messages.length === 1 ? 'is 1' : `are ${this.messages.length}`})`;
    if (this.deleted.has(n)) return `-ERR Message ${n} is marked to be deleted`;
    return [n, this.messages[n - 1]];
  }
}

/** RFC 1939 byte-stuffing: a line that starts with "." gets one more; the text ends in CRLF. */
export function dotStuff(raw: Buffer): Buffer {
  let text = raw.toString('latin1');
  if (!text.endsWith('\r\n') && text.length) text += '\r\n';
  return Buffer.from(text.replace(/(^|\r\n)\./g, '$1..'), 'latin1');
}

/** The header section, the empty line and the first `lines` lines of the body (TOP). */
export function topOf(raw: Buffer, lines: number): Buffer {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return raw;
  const body = text.slice(end + 4);
  const bodyLines = body === '' ? [] : body.split('\r\n');
  if (bodyLines.length && bodyLines[bodyLines.length - 1] === '') bodyLines.pop();
  const kept = bodyLines.slice(0, lines);
  return Buffer.from(text.slice(0, end + 4) + kept.map((l) => `${l}\r\n`).join(''), 'latin1');
}
