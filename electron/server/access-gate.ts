/**
 * Who may talk to a `wirelens serve` server. Every HTTP request and every WebSocket upgrade must
 * name the server itself in `Host` (one of the addresses it listens on, or localhost: a page on
 * another domain rebound to 127.0.0.1 names its own domain), come from the server's own origin when
 * it says where it comes from (`Origin`), and carry the secret of this server start — in the URL
 * the server printed (?token=), in the cookie set from it, or as `Authorization: Bearer`. Nothing
 * here parses the URL in a way that can throw: the checks run on the raw request first.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { networkInterfaces } from 'node:os';
import { MIN_TOKEN_LENGTH } from './limits';

const TOKEN_CHARS = /^[A-Za-z0-9._~-]+$/;

/** A fresh secret for one server start: 256 random bits, URL-safe. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Why a token given with --token cannot be used (null when it can). */
export function tokenProblem(token: string): string | null {
  if (token.length < MIN_TOKEN_LENGTH)
    return `--token must be at least ${MIN_TOKEN_LENGTH} characters (128 bits as hexadecimal digits); leave --token out and Wirelens makes one`;
  if (token.length > 256 || !TOKEN_CHARS.test(token))
    return "--token may hold only letters, digits and '-', '_', '.', '~' (at most 256 of them)";
  return null;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** Compares in constant time (both sides hashed first, so lengths do not show either). */
export function sameToken(given: string, token: string): boolean {
  return timingSafeEqual(digest(given), digest(token));
}

/** The `host:port` forms a request may name in `Host` for a server listening on `host`. */
export function allowedHosts(host: string, port: number): Set<string> {
  const names = new Set<string>(['localhost', host.toLowerCase()]);
  if (host === '0.0.0.0' || host === '::') {
    for (const list of Object.values(networkInterfaces()))
      for (const a of list ?? []) names.add(a.address.toLowerCase());
    names.add('127.0.0.1');
  }
  if (host === '::') names.add('::1');
  const out = new Set<string>();
  for (const n of names) {
    const shown = n.includes(':') ? `[${n}]` : n;
    out.add(`${shown}:${port}`);
    if (port === 80) out.add(shown);
  }
  return out;
}

/** The cookie that keeps the secret after the first visit (named by port: cookies do not tell ports apart). */
export function cookieName(port: number): string {
  return `wirelens-token-${port}`;
}

export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** The cookie that tells one browser from another (whose private captures are whose). */
export function browserCookieName(port: number): string {
  return `wirelens-browser-${port}`;
}

/** This request's browser id: from its cookie, or null when it has none (or a malformed one). */
export function browserIdOf(headers: IncomingHttpHeaders, port: number): string | null {
  const v = cookieValue(headers.cookie, browserCookieName(port));
  return v !== null && /^[0-9a-f]{32}$/.test(v) ? v : null;
}

export function newBrowserId(): string {
  return randomBytes(16).toString('hex');
}

export function browserCookie(port: number, id: string): string {
  return `${browserCookieName(port)}=${id}; HttpOnly; SameSite=Strict; Path=/`;
}

/** The raw value of `name` in the query part of a request target, without decoding. */
function queryValue(target: string, name: string): string | null {
  const q = target.indexOf('?');
  if (q < 0) return null;
  for (const part of target.slice(q + 1).split('&'))
    if (part.startsWith(`${name}=`)) return part.slice(name.length + 1);
  return null;
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export type GateVerdict = { ok: true; fromQuery: boolean } | { ok: false; why: string };

export class AccessGate {
  private readonly origins: Set<string>;

  constructor(
    private readonly token: string,
    private readonly port: number,
    private readonly hosts: Set<string>,
  ) {
    this.origins = new Set([...hosts].map((h) => `http://${h}`));
  }

  check(target: string | undefined, headers: IncomingHttpHeaders): GateVerdict {
    const host = headers.host?.toLowerCase();
    if (!host || !this.hosts.has(host))
      return { ok: false, why: 'the Host header does not name this server' };
    const origin = headers.origin?.toLowerCase();
    if (origin !== undefined && !this.origins.has(origin))
      return { ok: false, why: 'the request comes from another origin' };
    const fromQuery = queryValue(target ?? '', 'token');
    const auth = headers.authorization;
    const given =
      fromQuery ??
      cookieValue(headers.cookie, cookieName(this.port)) ??
      (auth?.startsWith('Bearer ') ? auth.slice(7) : null);
    if (given === null || !sameToken(given, this.token))
      return { ok: false, why: 'the access token is missing or wrong' };
    return { ok: true, fromQuery: fromQuery !== null };
  }
}

/** What a visitor without the secret sees (nothing else of the server is shown to them). */
export const OPEN_PRINTED_URL =
  '<!doctype html><meta charset="utf-8"><title>Wirelens</title><p>Open the whole URL printed by <code>wirelens serve</code> ' +
  "(it carries this server's access token).</p>\n";
