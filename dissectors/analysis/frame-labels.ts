/**
 * Per-frame application labels for the packet list's Protocol and Info columns, derived from the
 * ladders once the pass is done (Wireshark shows `C: EHLO sam` on the frame that carries it).
 * TLS records are TLS whatever protocol they carry (`TLSv1.3` `Application Data`, as tshark says):
 * only what was decrypted with the user's key log is named by the protocol inside.
 */
import type { AppProtocol, AppResult, LadderEvent } from '../app/types';

export interface FrameLabel {
  protocol: string;
  info: string;
  /** Filterable fields of the events this frame carries. */
  fields: Array<Record<string, string | number>>;
}

const PROTOCOL_COLUMN: Record<AppProtocol, string> = {
  smtp: 'SMTP',
  pop3: 'POP',
  http: 'HTTP',
  ftp: 'FTP',
  'ftp-data': 'FTP-DATA',
  tls: 'TLS',
  socks: 'Socks',
  unknown: 'TCP',
};

export function protocolColumn(p: AppProtocol): string {
  return PROTOCOL_COLUMN[p] ?? 'TCP';
}

/** The field TLS record events carry (the record's content type: 23 application data, 22 handshake, 21 alert). */
export const TLS_RECORD_TYPE_FIELD = 'tls.record.content_type';

const ENCRYPTED_RECORD_INFO: Record<number, string> = { 23: 'Application Data', 22: 'Encrypted Handshake Message', 21: 'Encrypted Alert' };

/** True for the events of the TLS layer itself (hellos, alerts, encrypted records), not of a protocol read inside it. */
export function isTlsLayerEvent(e: LadderEvent): boolean {
  return !e.insideTls && (e.kind === 'tls' || e.tls !== undefined || (e.fields !== undefined && TLS_RECORD_TYPE_FIELD in e.fields));
}

/** tshark's Protocol column for a connection's TLS records: `TLSv1.2`, `TLSv1.3` (`TLS` before the ServerHello is known). */
export function tlsColumn(app: AppResult | null): string {
  const v = app?.tls?.serverHello?.version ?? '';
  const m = /^TLS 1\.([0-3])$/.exec(v);
  if (!m) return 'TLS';
  return m[1] === '0' ? 'TLSv1' : `TLSv1.${m[1]}`;
}

function eventProtocol(conn: AppProtocol, e: LadderEvent, tls: string): string {
  if (isTlsLayerEvent(e)) return tls;
  if (e.fields !== undefined && ('http2.type' in e.fields || 'http2.magic' in e.fields)) return 'HTTP2';
  if (conn === 'socks' && e.fields !== undefined) return tunnelledColumn(e.fields);
  return protocolColumn(conn);
}

/** Inside a SOCKS tunnel: the protocol the event's fields belong to (SOCKS's own messages are Socks). */
function tunnelledColumn(fields: Record<string, string | number>): string {
  const prefix = Object.keys(fields)[0]?.split('.')[0] ?? '';
  return ({ socks: 'Socks', http: 'HTTP', smtp: 'SMTP', pop: 'POP', ftp: 'FTP' } as Record<string, string>)[prefix] ?? 'Socks';
}

function eventInfo(conn: AppProtocol, e: LadderEvent): string {
  const recordType = isTlsLayerEvent(e) ? e.fields?.[TLS_RECORD_TYPE_FIELD] : undefined;
  if (typeof recordType === 'number') return ENCRYPTED_RECORD_INFO[recordType] ?? e.label;
  if (conn === 'smtp' || conn === 'pop3' || conn === 'ftp') {
    if (e.kind === 'command' || e.kind === 'reply' || e.kind === 'auth') return `${e.from === 'client' ? 'C' : 'S'}: ${e.label}`;
  }
  return e.label;
}

/**
 * frame → label for the frames that carry (part of) a ladder event, and for each connection with
 * TLS the frame its TLS begins at: a payload frame no event names (the middle of a long record)
 * is TLS from there on, not the protocol of the connection's port.
 */
export class FrameLabels extends Map<number, FrameLabel> {
  /** Connection id → [first frame of its TLS records, Protocol column of its TLS records]. */
  readonly tlsFrom = new Map<number, [number, string]>();

  /** The Protocol column of a payload frame of connection `conn` (protocol `p`) that no ladder event names. */
  unlabelled(conn: number, frame: number, p: AppProtocol): string {
    const t = this.tlsFrom.get(conn);
    return t !== undefined && frame >= t[0] ? t[1] : protocolColumn(p);
  }
}

/** Builds frame → label for every frame that carries (part of) a ladder event. */
export function buildFrameLabels(apps: ReadonlyArray<AppResult | null>, protocols: ReadonlyArray<AppProtocol>): FrameLabels {
  const map = new FrameLabels();
  apps.forEach((app, id) => {
    if (!app) return;
    const proto = protocols[id] ?? app.protocol;
    const tls = tlsColumn(app);
    if (app.tls) {
      let first = Infinity;
      for (const e of app.ladder) if (isTlsLayerEvent(e) && e.frame < first) first = e.frame;
      if (first !== Infinity) map.tlsFrom.set(id, [first, tls]);
    }
    for (const e of app.ladder) {
      const last = e.frames.length ? e.frames[e.frames.length - 1] : e.frame;
      // Only the first and last frame carry the event (middle segments of a long DATA stay "TCP
      // segment of a reassembled PDU"), which keeps this map small for bulk transfers.
      for (const f of last === e.frame ? [e.frame] : [e.frame, last]) {
        let l = map.get(f);
        if (!l) {
          l = { protocol: eventProtocol(proto, e, tls), info: '', fields: [] };
          map.set(f, l);
        }
        if (e.fields) l.fields.push(e.fields);
        // The Info column names the events that end or start in this frame, like Wireshark.
        const info = eventInfo(proto, e);
        if (!l.info.includes(info)) l.info = l.info ? `${l.info} | ${info}` : info;
      }
    }
  });
  for (const l of map.values()) if (l.info.length > 300) l.info = l.info.slice(0, 299) + '…';
  return map;
}
