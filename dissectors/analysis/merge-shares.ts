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

export function mergeShares(shares: ShareOutput[]): MergedShares {
  // Number the connections of all shares by the frame that created them, as one pass would. Each
  // share numbered its own in frame order, so this is a merge of sorted lists.
  const ids = shares.map((s) => new Int32Array(s.createdAt.length).fill(-1));
  const next = shares.map(() => 0);
  let n = 0;
  for (;;) {
    let best = -1;
    for (let k = 0; k < shares.length; k++) {
      if (next[k] >= shares[k].createdAt.length) continue;
      if (best < 0 || shares[k].createdAt[next[k]] < shares[best].createdAt[next[best]]) best = k;
    }
    if (best < 0) break;
    ids[best][next[best]++] = n++;
  }

  const models: DissectionOutput['models'] = new Array(n);
  const states: ConnectionState[] = new Array(n);
  const apps: Array<AppResult | null> = new Array(n).fill(null);
  shares.forEach((s, k) => {
    const id = (local: number): number => (local >= 0 && local < ids[k].length ? ids[k][local] : local);
    // The shares' outputs are this merge's own (copies posted by the workers): renumbered in place.
    for (const m of s.models) {
      const g = id(m.id);
      m.id = g;
      models[g] = m;
    }
    s.states.forEach((st, local) => {
      if (!st) return;
      const g = id(local);
      st.id = g;
      if (st.dataLink) st.dataLink.controlConnection = id(st.dataLink.controlConnection);
      states[g] = st;
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
  const ftp = app.summary.ftp as { transfers?: Array<{ dataConnection?: number | null }> } | undefined;
  for (const t of ftp?.transfers ?? []) if (typeof t.dataConnection === 'number') t.dataConnection = id(t.dataConnection);
  const data = app.summary.ftpData as { controlConnection: number } | undefined;
  if (data) data.controlConnection = id(data.controlConnection);
  for (const c of app.credentials) c.connection = id(c.connection);
  // The FTP data connection's event names its control connection.
  for (const e of app.ladder) {
    if (e.label.includes('(control connection #')) e.label = e.label.replace(/\(control connection #(\d+),/, (_, n: string) => `(control connection #${id(Number(n))},`);
  }
  app.diagnostics = app.diagnostics.map((d) => renumberDiagnostic(d, id));
  return app;
}

/** "connection N: …" (a dissector that failed) names the connection. */
function renumberDiagnostic(d: Diagnostic, id: (local: number) => number): Diagnostic {
  if (d.code !== 'app.dissector.failed') return d;
  return { ...d, message: d.message.replace(/^connection (\d+):/, (_, n: string) => `connection ${id(Number(n))}:`) };
}
