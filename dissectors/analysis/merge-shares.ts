/**
 * Merges the outputs of shares dissected in parallel (see flow-partition.ts) into what one
 * sequential pass produces: connections numbered by the frame that created them, diagnostics in
 * frame order, the same cap. Connection ids inside results (FTP links, credentials, labels) are
 * renumbered too.
 */
import type { AppResult } from '../app/types';
import type { Diagnostic } from '../model/diagnostic';
import { cappedNote, MAX_PACKET_DIAGNOSTICS, type ConnectionState, type DissectionOutput, type ShareOutput } from './packet-dissector';

export interface MergedShares extends DissectionOutput {
  /** Per share: its local connection id → the merged id. */
  ids: Int32Array[];
}

/**
 * A share's output made safe to post between threads: a connection's protocol selector (closures)
 * is replaced by its final choice, running hashes by their digests (already in `streams`).
 */
export function portableShare(out: ShareOutput): ShareOutput {
  const states = out.states.map((st): ConnectionState => {
    if (!st) return st;
    const choice = st.selector ? { protocol: st.selector.protocol(), by: st.selector.protocolBy() } : st.initial;
    const plain = (d: ConnectionState['digests']['client']) => ({ hash: null, bytes: d.bytes, gaps: d.gaps, gapBytes: d.gapBytes });
    return { ...st, selector: null, initial: choice, digests: { client: plain(st.digests.client), server: plain(st.digests.server) } };
  });
  return { ...out, states };
}

export function mergeShares(shares: ShareOutput[]): MergedShares {
  // Number the connections of all shares by the frame that created them, as one pass would.
  const order: Array<[frame: number, share: number, local: number]> = [];
  shares.forEach((s, k) => s.createdAt.forEach((frame, local) => order.push([frame, k, local])));
  order.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const ids = shares.map((s) => new Int32Array(s.createdAt.length).fill(-1));
  order.forEach(([, k, local], global) => (ids[k][local] = global));

  const n = order.length;
  const models: DissectionOutput['models'] = new Array(n);
  const states: ConnectionState[] = new Array(n);
  const apps: Array<AppResult | null> = new Array(n).fill(null);
  shares.forEach((s, k) => {
    const id = (local: number): number => (local >= 0 && local < ids[k].length ? ids[k][local] : local);
    for (const m of s.models) {
      const g = id(m.id);
      models[g] = { ...m, id: g };
    }
    s.states.forEach((st, local) => {
      if (!st) return;
      const g = id(local);
      states[g] = { ...st, id: g, dataLink: st.dataLink ? { ...st.dataLink, controlConnection: id(st.dataLink.controlConnection) } : null };
    });
    s.apps.forEach((app, local) => {
      if (app) apps[id(local)] = renumberApp(app, id);
    });
  });

  // Diagnostics noted while packets arrived, in frame order; then those of each share's end.
  const timed: Array<[frame: number, share: number, at: number, d: Diagnostic]> = [];
  const late: Diagnostic[] = [];
  let dropped = 0;
  shares.forEach((s, k) => {
    dropped += s.diagnosticsDropped;
    s.diagnostics.forEach((d, at) => {
      if (at < s.packetDiagnostics) timed.push([s.diagnosticFrames[at] ?? 0, k, at, d]);
      else late.push(renumberDiagnostic(d, (local) => ids[k][local] ?? local));
    });
  });
  timed.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const all = [...timed.map((t) => t[3]), ...late];
  const diagnostics = all.slice(0, MAX_PACKET_DIAGNOSTICS);
  dropped += all.length - diagnostics.length;
  if (dropped) diagnostics.push(cappedNote(dropped));
  return { models, states, apps, diagnostics, ids };
}

function renumberApp(app: AppResult, id: (local: number) => number): AppResult {
  const summary = { ...app.summary };
  const ftp = summary.ftp as { transfers?: Array<{ dataConnection?: number | null }> } | undefined;
  if (ftp?.transfers) {
    summary.ftp = { ...ftp, transfers: ftp.transfers.map((t) => (typeof t.dataConnection === 'number' ? { ...t, dataConnection: id(t.dataConnection) } : t)) };
  }
  const data = summary.ftpData as { controlConnection: number } | undefined;
  if (data) summary.ftpData = { ...data, controlConnection: id(data.controlConnection) };
  return {
    ...app,
    summary,
    credentials: app.credentials.map((c) => ({ ...c, connection: id(c.connection) })),
    // The FTP data connection's event names its control connection.
    ladder: app.ladder.map((e) => (e.label.includes('(control connection #') ? { ...e, label: e.label.replace(/\(control connection #(\d+),/, (_, n: string) => `(control connection #${id(Number(n))},`) } : e)),
    diagnostics: app.diagnostics.map((d) => renumberDiagnostic(d, id)),
  };
}

/** "connection N: …" (a dissector that failed) names the connection. */
function renumberDiagnostic(d: Diagnostic, id: (local: number) => number): Diagnostic {
  if (d.code !== 'app.dissector.failed') return d;
  return { ...d, message: d.message.replace(/^connection (\d+):/, (_, n: string) => `connection ${id(Number(n))}:`) };
}
