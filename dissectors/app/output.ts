/**
 * What an application dissector produces for one connection: ladder events, diagnostics,
 * credentials, the TLS summary and a per-protocol summary. Shared by the protocol handlers of a
 * connection (an SMTP session hands over to TLS after STARTTLS, and both write here).
 */
import { diag, type Diagnostic, type Severity } from '../model/diagnostic';
import type { AppProtocol, AppResult, Credential, LadderEvent, LadderKind, TlsSummary } from './types';
import type { Direction } from '../tcp/types';

/** Most ladder events one connection keeps; past it, one note says how many were left out. */
export const MAX_LADDER_EVENTS = 20000;
const MAX_DIAGNOSTICS = 200;

export interface Span {
  frames: number[];
  time: number;
}

export class AppOutput {
  readonly ladder: LadderEvent[] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly credentials: Credential[] = [];
  tls: TlsSummary | null = null;
  readonly summary: Record<string, unknown> = {};
  /** Set while a handler reads bytes decrypted with the user's TLS key log: its events and credentials are marked insideTls. */
  insideTls = false;
  private dropped = 0;

  constructor(
    public protocol: AppProtocol,
    readonly connectionId: number,
  ) {}

  event(
    from: Direction,
    kind: LadderKind,
    span: Span,
    label: string,
    explain: string,
    extra: Pick<LadderEvent, 'fields' | 'lines' | 'tls'> = {},
  ): LadderEvent | null {
    if (this.ladder.length >= MAX_LADDER_EVENTS) {
      this.dropped++;
      return null;
    }
    const frames = span.frames.length ? span.frames : [0];
    const e: LadderEvent = { frame: frames[0], frames, time: span.time, from, kind, label, explain };
    if (extra.fields) e.fields = extra.fields;
    if (extra.lines) e.lines = extra.lines;
    if (extra.tls) e.tls = extra.tls;
    if (this.insideTls) e.insideTls = true;
    this.ladder.push(e);
    return e;
  }

  diag(code: string, severity: Severity, message: string, frame?: number): void {
    if (this.diagnostics.length < MAX_DIAGNOSTICS) this.diagnostics.push(diag(code, severity, 'protocol', message, frame));
  }

  credential(c: Omit<Credential, 'connection' | 'protocol'>): void {
    this.credentials.push({ protocol: this.protocol, connection: this.connectionId, ...c, ...(this.insideTls ? { insideTls: true } : {}) });
  }

  result(): AppResult {
    if (this.dropped) {
      this.diagnostics.push(diag('app.ladder.capped', 'note', 'protocol', `${this.dropped} more ladder events were not kept (limit ${MAX_LADDER_EVENTS} per connection)`));
      this.dropped = 0;
    }
    return {
      protocol: this.protocol,
      ladder: this.ladder,
      diagnostics: this.diagnostics,
      credentials: this.credentials,
      tls: this.tls,
      summary: this.summary,
    };
  }
}

/** Printable one-line form of hostile text: control characters shown as \xNN, cut at `max`. */
export function printable(text: string, max = 200): string {
  let s = text.length > max ? text.slice(0, max) : text;
  s = s.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return text.length > max ? `${s}… (${text.length} chars)` : s;
}
