/** Builds the public `wirelens analyze --json` report from the analyzer's output. */
import type { AppResult, Credential } from '../app/types';
import { linkTypeName } from '../capture/link-types';
import type { CaptureSummary } from '../capture/types';
import type { ConnectionModel } from '../tcp/types';
import { EMPTY_SHA256, formatEndpoint, type AnalyzerOutput, type ConnectionState } from './analyzer';
import type { AnalysisReport, CaptureReport, ConnectionResult, InterfaceStatisticsReport } from './types';
import { diag, type Diagnostic } from '../model/diagnostic';
import { PF_FROM_SERVER } from './packet-index';

export function buildCaptureReport(summary: CaptureSummary, out: AnalyzerOutput, bytes: number): CaptureReport {
  const n = out.index.count;
  const { stats, diagnostics: lost } = interfaceStatistics(summary);
  return {
    format: summary.format,
    packets: summary.packets,
    linkTypes: summary.linkTypes.map((code) => ({ code, name: linkTypeName(code) })),
    truncated: summary.truncated,
    diagnostics: [...summary.diagnostics, ...out.diagnostics, ...lost],
    comments: summary.comments,
    firstTime: out.base ? isoTime(out.base.sec, out.base.nsec) : null,
    durationSec: n ? out.index.time[n - 1] : 0,
    bytes,
    interfaceStatistics: stats,
  };
}

/** The capture's per-interface statistics, and a warning for every interface that lost packets. */
function interfaceStatistics(summary: CaptureSummary): { stats: InterfaceStatisticsReport[]; diagnostics: Diagnostic[] } {
  const stats: InterfaceStatisticsReport[] = [];
  const diagnostics: Diagnostic[] = [];
  summary.interfaces.forEach((iface, i) => {
    if (!iface.stats) return;
    const name = iface.name ?? null;
    stats.push({ interface: i, name, ...iface.stats });
    const lost = (iface.stats.dropped ?? 0) + (iface.stats.osDropped ?? 0);
    if (lost > 0)
      diagnostics.push(
        diag(
          'capture.packets_dropped',
          'warn',
          'capture',
          `the capturing program recorded ${lost} packet${lost === 1 ? '' : 's'} dropped on ${name ?? `interface ${i}`}` +
            `${iface.stats.received !== null ? ` (it received ${iface.stats.received})` : ''}: they are not in this file, so connections may show gaps that were never on the wire`,
        ),
      );
  });
  return { stats, diagnostics };
}

export function isoTime(sec: number, nsec: number): string {
  const ms = Math.floor(nsec / 1e6);
  const d = new Date(sec * 1000 + ms);
  if (Number.isNaN(d.getTime())) return `invalid (${sec}s)`;
  const frac = String(Math.floor(nsec)).padStart(9, '0');
  return d.toISOString().replace(/\.\d{3}Z$/, `.${frac}Z`);
}

export function connectionStatus(m: ConnectionModel): string {
  if (m.handshake.outcome === 'reset') return 'refused';
  if (m.handshake.outcome === 'no-answer') return 'no answer';
  if (m.teardown.close === 'rst') return 'reset';
  if (m.teardown.close === 'fin') return m.teardown.openAtEnd ? 'closing' : 'closed';
  return 'open';
}

export function buildConnectionResult(
  m: ConnectionModel,
  st: ConnectionState | undefined,
  app: AppResult | null,
): ConnectionResult {
  const res: ConnectionResult = {
    id: m.id,
    client: formatEndpoint(m.client),
    server: formatEndpoint(m.server),
    clientBy: m.clientBy,
    firstFrame: m.firstFrame,
    lastFrame: m.lastFrame,
    packets: m.packets,
    start: round6(m.firstTime),
    duration: round6(m.lastTime - m.firstTime),
    handshake: {
      syn: m.handshake.syn?.frame ?? null,
      synAck: m.handshake.synAck?.frame ?? null,
      ack: m.handshake.ack?.frame ?? null,
      rttMs: m.handshake.rttMs === null ? null : round6(m.handshake.rttMs),
      complete: m.handshake.complete,
      outcome: m.handshake.outcome,
    },
    close: m.teardown.close,
    streams: {
      client: st?.streams?.client ?? emptyDigest(),
      server: st?.streams?.server ?? emptyDigest(),
    },
    protocol: st?.selector?.protocol() ?? st?.initial?.protocol ?? 'unknown',
    protocolBy: st?.selector?.protocolBy() ?? st?.initial?.by ?? 'port',
    tls: app?.tls
      ? {
          clientHello: app.tls.clientHello,
          serverHello: app.tls.serverHello,
          upgrade: app.tls.upgrade,
          certificates: app.tls.certificates,
          alerts: app.tls.alerts,
          encryptedFrom: app.tls.encryptedFrom,
          encryptedRecords: app.tls.encryptedRecords,
          decrypted: app.tls.decrypted,
          decryption: app.tls.decryption,
        }
      : null,
    ladder: app?.ladder ?? [],
    diagnostics: [...m.diagnostics, ...(app?.diagnostics ?? [])],
  };
  if (app) for (const [k, v] of Object.entries(app.summary)) res[k] = v;
  return res;
}

function emptyDigest() {
  return {
    bytes: 0,
    sha256: EMPTY_SHA256,
    gaps: 0,
    gapBytes: 0,
  };
}

/** Each connection's frames and wire bytes per side, from the packet index in one pass. */
export function wireCounts(out: AnalyzerOutput): Array<NonNullable<ConnectionResult['wire']>> {
  const counts = out.models.map(() => ({ client: { frames: 0, bytes: 0 }, server: { frames: 0, bytes: 0 } }));
  const idx = out.index;
  const lens = idx.origLenColumn();
  for (let i = 0; i < idx.count; i++) {
    const c = counts[idx.conn[i]];
    if (!c) continue;
    const side = idx.flags[i] & PF_FROM_SERVER ? c.server : c.client;
    side.frames++;
    side.bytes += lens[i];
  }
  return counts;
}

export function buildReport(summary: CaptureSummary, out: AnalyzerOutput, bytes: number): AnalysisReport {
  const wire = wireCounts(out);
  const connections = out.models.map((m) => ({ ...buildConnectionResult(m, out.states[m.id], out.apps[m.id] ?? null), wire: wire[m.id] }));
  const credentials: Credential[] = [];
  for (const app of out.apps) if (app) credentials.push(...app.credentials);
  return { capture: buildCaptureReport(summary, out, bytes), connections, credentials };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
