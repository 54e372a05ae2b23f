/**
 * SOCKS5 (RFC 1928, with RFC 1929 username/password): the client's greeting (the authentication
 * methods it offers), the server's choice, the login if any, the CONNECT request (target name or
 * address and port) and the server's reply; after a successful CONNECT the rest of the connection is
 * the tunnelled one, handed to the host (TLS, HTTP … read as for a new connection). Field names are
 * tshark's (`socks.command`, `socks.remote_name`, `socks.port`, `socks.results`).
 */
import type { StreamGap } from '../../tcp/types';
import { spanOf, type HandlerHost, type ProtocolHandler } from '../handler';
import { printable } from '../output';
import type { StreamBlock } from '../stream-buffer';

const METHODS: Record<number, string> = {
  0: 'no authentication',
  1: 'GSSAPI',
  2: 'username/password',
  0xff: 'no acceptable method',
};
const COMMANDS: Record<number, string> = { 1: 'CONNECT', 2: 'BIND', 3: 'UDP ASSOCIATE' };
const REPLIES: Record<number, string> = {
  0: 'succeeded',
  1: 'general SOCKS server failure',
  2: 'connection not allowed by ruleset',
  3: 'network unreachable',
  4: 'host unreachable',
  5: 'connection refused',
  6: 'TTL expired',
  7: 'command not supported',
  8: 'address type not supported',
};

const NOTES = {
  greeting:
    'The client opens a SOCKS5 session (RFC 1928): it asks a proxy to connect somewhere for it, and first lists the ways it can log in.',
  method: 'The proxy chooses how the client must log in (or refuses all the methods offered).',
  login:
    'Username and password for the proxy (RFC 1929), sent in clear text: anyone who captures this connection can read them.',
  loginReply:
    'The proxy’s answer to the login: status 0 accepts it, anything else refuses it (and the proxy closes the connection).',
  request:
    'The client asks the proxy to connect to this host and port. A name (not an address) means the proxy looks the name up, so the client’s own DNS never sees it.',
  success:
    'The proxy connected: from here the connection is a tunnel. The proxy relays bytes unchanged, so what follows is the client’s own connection to the target (read below as what it is, usually TLS or HTTP).',
  failure: 'The proxy could not or would not connect: no tunnel, and the proxy closes the connection.',
  notSocks: 'These bytes do not follow SOCKS5 here; they are shown raw.',
} as const;

type Step = 'greeting' | 'method' | 'login' | 'login-reply' | 'request' | 'reply' | 'done';

export function createSocksHandler(host: HandlerHost): ProtocolHandler {
  const { out, bufs } = host;
  let client: Step = 'greeting';
  let server: Step = 'method';
  let chosen = -1;
  let stopped = false;
  let tunnelled = false;
  let credentialIndex = -1;

  /** The next `n` bytes of `dir`, or null when they have not all arrived. */
  const take = (dir: 'client' | 'server', n: number): StreamBlock | null =>
    bufs[dir].available >= n ? bufs[dir].take(n) : null;
  const peek = (dir: 'client' | 'server'): Uint8Array => bufs[dir].peek();

  function raw(dir: 'client' | 'server'): void {
    const rest = bufs[dir].takeAll();
    if (rest)
      out.event(dir, 'data', spanOf(rest), `${rest.bytes.length} bytes that are not SOCKS5`, NOTES.notSocks);
  }

  /** Length of a request or reply (VER CMD RSV ATYP ADDR PORT) at the head of `b`, 0 if unknown yet, -1 if invalid. */
  function addressMessageLength(b: Uint8Array): number {
    if (b.length < 5) return 0;
    const atyp = b[3];
    const addr = atyp === 1 ? 4 : atyp === 4 ? 16 : atyp === 3 ? 1 + b[4] : -1;
    return addr < 0 ? -1 : 4 + addr + 2;
  }

  function address(b: Uint8Array): { text: string; fields: Record<string, string | number> } {
    const atyp = b[3];
    const port = (b[b.length - 2] << 8) | b[b.length - 1];
    if (atyp === 3) {
      const name = printable(String.fromCharCode(...b.subarray(5, 5 + b[4])), 255);
      return {
        text: `${name}:${port}`,
        fields: { 'socks.address_type': 3, 'socks.remote_name': name, 'socks.port': port },
      };
    }
    if (atyp === 1) {
      const ip = [...b.subarray(4, 8)].join('.');
      return {
        text: `${ip}:${port}`,
        fields: { 'socks.address_type': 1, 'socks.dst': ip, 'socks.port': port },
      };
    }
    const groups: string[] = [];
    for (let i = 4; i < 20; i += 2) groups.push(((b[i] << 8) | b[i + 1]).toString(16));
    return { text: `[${groups.join(':')}]:${port}`, fields: { 'socks.address_type': 4, 'socks.port': port } };
  }

  /** One step of the client; false when it must wait (for bytes, or for the server's answer). */
  function clientStep(): boolean {
    const b = peek('client');
    if (client === 'greeting') {
      if (b.length < 2) return false;
      if (b[0] !== 5 || b[1] === 0) return fail('client');
      const m = take('client', 2 + b[1]);
      if (!m) return false;
      const offered = [...m.bytes.subarray(2)];
      out.event(
        'client',
        'command',
        spanOf(m),
        `SOCKS5 greeting: offers ${offered.map((x) => METHODS[x] ?? `method ${x}`).join(', ')}`,
        NOTES.greeting,
        {
          fields: { 'socks.version': 5, 'socks.auth_method_count': offered.length },
        },
      );
      client = 'request';
      return true;
    }
    if (server === 'method') return false; // the request (or login) comes after the server's choice
    if (client === 'request' && chosen === 2 && credentialIndex === -1) client = 'login';
    if (client === 'login') {
      if (b.length < 2) return false;
      if (b[0] !== 1) return fail('client');
      const ulen = b[1];
      if (b.length < 3 + ulen) return false;
      const plen = b[2 + ulen];
      const m = take('client', 3 + ulen + plen);
      if (!m) return false;
      const user = String.fromCharCode(...m.bytes.subarray(2, 2 + ulen));
      const pass = String.fromCharCode(...m.bytes.subarray(3 + ulen, 3 + ulen + plen));
      out.credential({
        frame: m.frames[0] ?? 0,
        mechanism: 'SOCKS5 username/password',
        username: user,
        password: pass,
        outcome: 'unknown',
      });
      credentialIndex = out.credentials.length - 1;
      out.event('client', 'auth', spanOf(m), `SOCKS5 login ${printable(user, 60)}`, NOTES.login, {
        fields: { 'socks.username': printable(user, 255) },
      });
      client = 'request';
      return true;
    }
    if (client === 'request') {
      const n = addressMessageLength(b);
      if (n === 0) return false;
      if (n < 0 || b[0] !== 5) return fail('client');
      const m = take('client', n);
      if (!m) return false;
      const a = address(m.bytes);
      const cmd = COMMANDS[m.bytes[1]] ?? `command ${m.bytes[1]}`;
      out.event('client', 'command', spanOf(m), `SOCKS5 ${cmd} ${a.text}`, NOTES.request, {
        fields: { 'socks.version': 5, 'socks.command': m.bytes[1], ...a.fields },
      });
      client = 'done';
      return true;
    }
    return false;
  }

  function serverStep(): boolean {
    const b = peek('server');
    if (server === 'method') {
      if (b.length < 2) return false;
      if (b[0] !== 5) return fail('server');
      const m = take('server', 2)!;
      chosen = m.bytes[1];
      out.event(
        'server',
        'reply',
        spanOf(m),
        `SOCKS5 method: ${METHODS[chosen] ?? `method ${chosen}`}`,
        NOTES.method,
        { fields: { 'socks.version': 5, 'socks.auth_accepted_method': chosen } },
      );
      server = chosen === 0xff ? 'done' : chosen === 2 ? 'login-reply' : 'reply';
      return true;
    }
    if (server === 'login-reply') {
      if (credentialIndex === -1) return false; // the client's login comes first
      if (b.length < 2) return false;
      const m = take('server', 2)!;
      const ok = m.bytes[1] === 0;
      const c = out.credentials[credentialIndex];
      if (c) c.outcome = ok ? 'accepted' : 'refused';
      const e = out.event(
        'server',
        'auth',
        spanOf(m),
        `SOCKS5 login ${ok ? 'accepted' : `refused (status ${m.bytes[1]})`}`,
        NOTES.loginReply,
        { fields: { 'socks.auth_status': m.bytes[1] } },
      );
      if (e) e.outcome = ok ? 'positive' : 'permanent-negative';
      server = ok ? 'reply' : 'done';
      return true;
    }
    if (server === 'reply') {
      if (client !== 'done') return false; // the reply answers the request
      const n = addressMessageLength(b);
      if (n === 0) return false;
      if (n < 0 || b[0] !== 5) return fail('server');
      const m = take('server', n);
      if (!m) return false;
      const code = m.bytes[1];
      const a = address(m.bytes);
      const ok = code === 0;
      const e = out.event(
        'server',
        'reply',
        spanOf(m),
        ok
          ? `SOCKS5 ${REPLIES[0]} (proxy's side ${a.text})`
          : `SOCKS5 refused: ${REPLIES[code] ?? `reply ${code}`}`,
        ok ? NOTES.success : NOTES.failure,
        {
          fields: { 'socks.version': 5, 'socks.results': code, ...a.fields },
        },
      );
      if (e) e.outcome = ok ? 'positive' : 'permanent-negative';
      server = 'done';
      if (ok && host.tunnel) {
        tunnelled = true;
        host.tunnel('socks');
      }
      return true;
    }
    return false;
  }

  function fail(dir: 'client' | 'server'): boolean {
    out.diag(
      'socks.message.invalid',
      'warn',
      `the ${dir}'s bytes do not follow SOCKS5 here; the rest is shown raw`,
    );
    stopped = true;
    return true;
  }

  return {
    pump(_dir, final) {
      for (;;) {
        if (tunnelled) return;
        if (stopped || (client === 'done' && server === 'done')) {
          raw('client');
          raw('server');
          return;
        }
        if (!clientStep() && !serverStep()) {
          if (final && (bufs.client.available || bufs.server.available) && !tunnelled) {
            stopped = true;
            continue;
          }
          return;
        }
      }
    },
    gap(_g: StreamGap) {
      stopped = true;
    },
    end() {},
  };
}
