/**
 * NSS key log files (the SSLKEYLOGFILE format openssl s_client -keylogfile, curl, Firefox, Chrome and
 * Node's 'keylog' event write; also the text of a pcapng Decryption Secrets Block): one secret per
 * line, `LABEL <client random hex> <secret hex>`, keyed by the ClientHello's 32-byte random.
 * TLS ≤ 1.2: CLIENT_RANDOM gives the 48-byte master secret; TLS 1.3: the traffic secrets of each
 * stage. Comments (#) and blank lines are ignored; any other line that is not such a line is skipped
 * and counted. Line length, key count and text size are bounded: a hostile file cannot grow memory.
 */

export type KeySource = 'keylog' | 'pcapng';

/** The secrets known for one TLS session (one client random). */
export interface SessionSecrets {
  /** TLS ≤ 1.2 master secret (CLIENT_RANDOM). */
  master?: Uint8Array;
  clientHandshake?: Uint8Array;
  serverHandshake?: Uint8Array;
  clientTraffic0?: Uint8Array;
  serverTraffic0?: Uint8Array;
  exporter?: Uint8Array;
  clientEarly?: Uint8Array;
  /** Where the first of these secrets came from. */
  source: KeySource;
}

const LABELS: Record<string, keyof Omit<SessionSecrets, 'source'>> = {
  CLIENT_RANDOM: 'master',
  CLIENT_HANDSHAKE_TRAFFIC_SECRET: 'clientHandshake',
  SERVER_HANDSHAKE_TRAFFIC_SECRET: 'serverHandshake',
  CLIENT_TRAFFIC_SECRET_0: 'clientTraffic0',
  SERVER_TRAFFIC_SECRET_0: 'serverTraffic0',
  EXPORTER_SECRET: 'exporter',
  CLIENT_EARLY_TRAFFIC_SECRET: 'clientEarly',
};

/** Longest line read (a real line is under 200 characters); longer ones are skipped. */
export const MAX_KEYLOG_LINE = 1024;
/** Most secrets kept over all key logs of a capture. */
export const MAX_KEYLOG_KEYS = 200_000;
/** Most text read from one key log. */
export const MAX_KEYLOG_BYTES = 64 * 1024 * 1024;

export interface KeyLogLoad {
  /** Secrets taken from this text. */
  keys: number;
  /** Lines that were neither a secret, a comment nor blank (or were too long, or past the key limit). */
  skipped: number;
  /** First skipped line's number and why, for the message. */
  firstProblem: string | null;
}

const HEX = /^[0-9a-fA-F]+$/;

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

export function hexOf(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** The secrets of every key log given for a capture, by client random. */
export class TlsKeyLog {
  private readonly sessions = new Map<string, SessionSecrets>();
  keys = 0;
  skipped = 0;
  /** Client randoms (hex) of the sessions a connection used. */
  readonly matched = new Set<string>();
  /** The lines of every secret taken, by client random: what a pcapng export embeds (only those that matched). */
  private readonly lines = new Map<string, string[]>();

  get size(): number {
    return this.sessions.size;
  }

  /** Reads one key log's text (a file, or a Decryption Secrets Block's). */
  add(text: string, source: KeySource): KeyLogLoad {
    const load: KeyLogLoad = { keys: 0, skipped: 0, firstProblem: null };
    const skip = (n: number, why: string): void => {
      load.skipped++;
      load.firstProblem ??= `line ${n}: ${why}`;
    };
    if (text.length > MAX_KEYLOG_BYTES) {
      text = text.slice(0, MAX_KEYLOG_BYTES);
      skip(0, `the key log is larger than ${MAX_KEYLOG_BYTES} bytes; the rest was not read`);
    }
    let n = 0;
    let at = 0;
    while (at < text.length) {
      let end = text.indexOf('\n', at);
      if (end < 0) end = text.length;
      n++;
      const raw = text.slice(at, Math.min(end, at + MAX_KEYLOG_LINE + 1));
      const tooLong = end - at > MAX_KEYLOG_LINE;
      at = end + 1;
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      if (tooLong) {
        skip(n, `longer than ${MAX_KEYLOG_LINE} characters`);
        continue;
      }
      const parts = line.split(/\s+/);
      const field = parts.length === 3 ? LABELS[parts[0]] : undefined;
      if (!field) {
        skip(
          n,
          parts.length === 3
            ? `unknown label ${JSON.stringify(parts[0].slice(0, 40))}`
            : 'not "LABEL <client random> <secret>"',
        );
        continue;
      }
      const [label, random, secret] = parts;
      if (random.length !== 64 || !HEX.test(random)) {
        skip(n, 'the client random is not 64 hex digits');
        continue;
      }
      const want = field === 'master' ? [96] : [64, 96, 128];
      if (!want.includes(secret.length) || !HEX.test(secret)) {
        skip(n, `the ${label} secret is not ${want.join(' or ')} hex digits`);
        continue;
      }
      if (this.keys >= MAX_KEYLOG_KEYS) {
        skip(n, `more than ${MAX_KEYLOG_KEYS} secrets; the rest were not read`);
        continue;
      }
      const key = random.toLowerCase();
      let s = this.sessions.get(key);
      if (!s) {
        s = { source };
        this.sessions.set(key, s);
      }
      if (!s[field]) {
        s[field] = hexBytes(secret);
        this.keys++;
        load.keys++;
        const l = this.lines.get(key) ?? [];
        l.push(`${label} ${key} ${secret.toLowerCase()}`);
        this.lines.set(key, l);
      }
    }
    this.skipped += load.skipped;
    return load;
  }

  /** The secrets for a ClientHello's random (remembered as matched), or null. */
  lookup(clientRandom: Uint8Array): SessionSecrets | null {
    const key = hexOf(clientRandom);
    const s = this.sessions.get(key) ?? null;
    if (s) this.matched.add(key);
    return s;
  }

  /** The key log lines of the sessions that matched a connection (for a pcapng export). */
  matchedLines(): string[] {
    return [...this.matched].flatMap((k) => this.lines.get(k) ?? []);
  }
}
