/**
 * Expert Information, as Wireshark's: every diagnostic of the capture grouped by severity, group,
 * protocol and summary, with a count and the frames. TCP analysis items are one per frame with
 * Wireshark's severity, group and summary text, so their counts can be compared with
 * `tshark -q -z expert` (the TCP flags items — SYN, SYN+ACK, FIN, RST — too). The per-connection
 * counters ("client: 3 retransmitted segment(s)") are left out: their frames are listed already.
 */
import { ANALYSIS_CODES, PF_FROM_SERVER, PF_TCP } from '../../dissectors/analysis/packet-index';
import type { Diagnostic, DiagnosticGroup } from '../../dissectors/model/diagnostic';
import {
  MAX_EXPERT_ITEMS,
  type ExpertEntry,
  type ExpertInfo,
  type ExpertSeverity,
} from '../../api/engine-api';
import type { CaptureSession } from './capture-session';

/** Wireshark's expert item of each TCP analysis flag (epan/dissectors/packet-tcp.c). */
export const TCP_ANALYSIS_EXPERT: Record<
  (typeof ANALYSIS_CODES)[number],
  { severity: ExpertSeverity; summary: string }
> = {
  'tcp.analysis.retransmission': { severity: 'note', summary: 'This frame is a (suspected) retransmission' },
  'tcp.analysis.fast_retransmission': {
    severity: 'note',
    summary: 'This frame is a (suspected) fast retransmission',
  },
  'tcp.analysis.spurious_retransmission': {
    severity: 'note',
    summary: 'This frame is a (suspected) spurious retransmission',
  },
  'tcp.analysis.out_of_order': {
    severity: 'warn',
    summary: 'This frame is a (suspected) out-of-order segment',
  },
  'tcp.analysis.duplicate_ack': { severity: 'note', summary: 'Duplicate ACK' },
  'tcp.analysis.lost_segment': {
    severity: 'warn',
    summary: 'Previous segment(s) not captured (common at capture start)',
  },
  'tcp.analysis.keep_alive': { severity: 'note', summary: 'TCP keep-alive segment' },
  'tcp.analysis.keep_alive_ack': { severity: 'note', summary: 'ACK to a TCP keep-alive segment' },
  'tcp.analysis.zero_window': { severity: 'warn', summary: 'TCP Zero Window segment' },
  'tcp.analysis.zero_window_probe': { severity: 'note', summary: 'TCP Zero Window Probe' },
  'tcp.analysis.window_update': { severity: 'chat', summary: 'TCP window update' },
  'tcp.analysis.window_full': {
    severity: 'warn',
    summary: 'TCP window specified by the receiver is now completely full',
  },
  'tcp.analysis.ack_lost_segment': {
    severity: 'warn',
    summary: "ACKed segment that wasn't captured (common at capture start)",
  },
  'tcp.analysis.reused_ports': {
    severity: 'note',
    summary: 'A new tcp session is started with the same ports as an earlier session in this trace',
  },
  'tcp.analysis.zero_window_probe_ack': { severity: 'note', summary: 'ACK to a TCP Zero Window Probe' },
};

/** The per-connection counter codes (dissectors/tcp/stats.ts): summaries of per-frame items. */
const COUNTER_CODES = new Set([
  'tcp.segment.retransmission',
  'tcp.segment.out_of_order',
  'tcp.ack.duplicate',
  'tcp.window.zero',
  'tcp.segment.keep_alive',
  'tcp.window.zero_probe',
]);

const GROUP_NAME: Record<DiagnosticGroup, string> = {
  malformed: 'Malformed',
  sequence: 'Sequence',
  reassemble: 'Reassemble',
  protocol: 'Protocol',
  security: 'Security',
  undecoded: 'Undecoded',
  capture: 'Capture',
};

const SEVERITY_ORDER: ExpertSeverity[] = ['error', 'warn', 'note', 'chat'];

/** The protocol a diagnostic code names: its first part, as Wireshark writes it (tcp → TCP, pcapng → PCAPNG). */
function protocolOf(code: string): string {
  const head = code.split('.')[0] ?? '';
  if (head === 'capture' || head === 'pcap' || head === 'pcapng') return 'Capture file';
  return head.toUpperCase();
}

class Builder {
  private readonly entries = new Map<string, ExpertEntry>();
  /** Entries whose items' messages differ: their summary is the code (else the one message). */
  private readonly mixed = new Set<ExpertEntry>();
  readonly totals: Record<ExpertSeverity, number> = { error: 0, warn: 0, note: 0, chat: 0 };

  add(
    severity: ExpertSeverity,
    group: string,
    protocol: string,
    code: string,
    summary: string,
    frame: number | null,
    connection: number,
    message: string,
  ): void {
    const key = `${severity}\0${group}\0${protocol}\0${summary}`;
    let e = this.entries.get(key);
    if (!e) this.entries.set(key, (e = { severity, group, protocol, summary, code, count: 0, items: [] }));
    else if (e.items[0]?.message !== message) this.mixed.add(e);
    e.count++;
    this.totals[severity]++;
    if (e.items.length < MAX_EXPERT_ITEMS) e.items.push({ frame, connection, message });
  }

  result(): ExpertInfo {
    const entries = [...this.entries.values()].sort(
      (a, b) =>
        SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
        a.group.localeCompare(b.group) ||
        a.protocol.localeCompare(b.protocol) ||
        a.summary.localeCompare(b.summary),
    );
    for (const e of entries) {
      e.items.sort((x, y) => (x.frame ?? 0) - (y.frame ?? 0));
      if (e.summary === e.code && !this.mixed.has(e) && e.items[0]) e.summary = e.items[0].message;
    }
    return { entries, totals: this.totals };
  }
}

const SYN = 0x02;
const FIN = 0x01;
const RST = 0x04;
const ACK = 0x10;

/** Expert Information of a loaded capture. */
export function expertInfo(s: CaptureSession): ExpertInfo {
  if (!s.loaded) throw new Error('capture still loading');
  const b = new Builder();
  const idx = s.analyzer.index;
  const out = s.loaded.output;
  // TCP: the analysis flags and the connection flags, one item per frame as Wireshark lists them.
  for (let i = 0; i < idx.count; i++) {
    if (!(idx.flags[i] & PF_TCP)) continue;
    const frame = i + 1;
    const conn = idx.conn[i];
    const flags = idx.tcpFlags[i];
    const serverPort = out.models[conn]?.server.port;
    if (flags & SYN) {
      const what =
        flags & ACK ? 'Connection establish acknowledge (SYN+ACK)' : 'Connection establish request (SYN)';
      b.add(
        'chat',
        'Sequence',
        'TCP',
        flags & ACK ? 'tcp.connection.synack' : 'tcp.connection.syn',
        serverPort === undefined ? what : `${what}: server port ${serverPort}`,
        frame,
        conn,
        `${what}${idx.flags[i] & PF_FROM_SERVER ? ' from the server' : ''}`,
      );
    }
    if (flags & FIN)
      b.add(
        'chat',
        'Sequence',
        'TCP',
        'tcp.connection.fin',
        'Connection finish (FIN)',
        frame,
        conn,
        'Connection finish (FIN)',
      );
    if (flags & RST)
      b.add(
        'warn',
        'Sequence',
        'TCP',
        'tcp.connection.rst',
        'Connection reset (RST)',
        frame,
        conn,
        'Connection reset (RST)',
      );
    const bits = idx.analysis[i];
    if (!bits) continue;
    ANALYSIS_CODES.forEach((code, k) => {
      if (!(bits & (1 << k))) return;
      const x = TCP_ANALYSIS_EXPERT[code];
      b.add(x.severity, 'Sequence', 'TCP', code, x.summary, frame, conn, x.summary);
    });
  }
  // The file's and the connections' diagnostics (each connection's TCP and application ones).
  const add = (d: Diagnostic, conn: number) => {
    if (COUNTER_CODES.has(d.code)) return;
    b.add(
      d.severity,
      GROUP_NAME[d.group] ?? d.group,
      protocolOf(d.code),
      d.code,
      d.code,
      d.frame ?? null,
      conn,
      d.message,
    );
  };
  for (const d of s.captureReport().diagnostics)
    add(d, d.frame !== undefined && d.frame >= 1 && d.frame <= idx.count ? idx.conn[d.frame - 1] : -1);
  // A connection's diagnostic without a frame of its own points at the connection's first frame.
  out.models.forEach((m, id) => {
    const at = (d: Diagnostic): Diagnostic =>
      d.frame === undefined && m ? { ...d, frame: m.firstFrame } : d;
    for (const d of m?.diagnostics ?? []) add(at(d), id);
    for (const d of out.apps[id]?.diagnostics ?? []) add(at(d), id);
  });
  return b.result();
}
