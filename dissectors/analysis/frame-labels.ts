/**
 * Per-frame application labels for the packet list's Protocol and Info columns, derived from the
 * ladders once the pass is done (Wireshark shows `C: EHLO sam` on the frame that carries it).
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
  unknown: 'TCP',
};

export function protocolColumn(p: AppProtocol): string {
  return PROTOCOL_COLUMN[p] ?? 'TCP';
}

function eventProtocol(conn: AppProtocol, e: LadderEvent): string {
  if (e.kind === 'tls' || e.tls) return 'TLS';
  return protocolColumn(conn);
}

function eventInfo(conn: AppProtocol, e: LadderEvent): string {
  if (conn === 'smtp' || conn === 'pop3' || conn === 'ftp') {
    if (e.kind === 'command' || e.kind === 'reply' || e.kind === 'auth') return `${e.from === 'client' ? 'C' : 'S'}: ${e.label}`;
  }
  return e.label;
}

/** Builds frame → label for every frame that carries (part of) a ladder event. */
export function buildFrameLabels(apps: ReadonlyArray<AppResult | null>, protocols: ReadonlyArray<AppProtocol>): Map<number, FrameLabel> {
  const map = new Map<number, FrameLabel>();
  apps.forEach((app, id) => {
    if (!app) return;
    const proto = protocols[id] ?? app.protocol;
    for (const e of app.ladder) {
      const last = e.frames.length ? e.frames[e.frames.length - 1] : e.frame;
      // Only the first and last frame carry the event (middle segments of a long DATA stay "TCP
      // segment of a reassembled PDU"), which keeps this map small for bulk transfers.
      for (const f of last === e.frame ? [e.frame] : [e.frame, last]) {
        let l = map.get(f);
        if (!l) {
          l = { protocol: eventProtocol(proto, e), info: '', fields: [] };
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
