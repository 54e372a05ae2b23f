import type { AnalysisReport } from '../../../dissectors/analysis/types';
import { Engine } from '../../engine/engine';
import type { ParsedArgs } from '../args';
import { UsageError } from '../args';
import { parseDecodeAs } from '../decode-as';
import { forTerminal, forTerminalLines, humanBytes, pad } from '../format';
import { writeJsonReport } from '../json-stream';
import { keyLogLines, keyLogsFromArgs } from '../keylog-option';
import { TLS_NOTES } from '../../../dissectors/app/tls/explain';

/** `wirelens analyze FILE [--json] [--decode-as PORT=PROTO] [--workers N]`: the whole-file view. */
export async function analyzeCommand(args: ParsedArgs, out: NodeJS.WritableStream): Promise<number> {
  const file = args.positionals[0];
  if (!file) throw new UsageError('analyze: missing FILE');
  const engine = new Engine({ decodeAs: parseDecodeAs(args.values.get('decode-as') ?? []), workers: parseWorkers(args.values.get('workers')), batch: true, keyLogs: keyLogsFromArgs(args) });
  try {
    const s = await engine.openAndWait(file);
    const report = s.fullReport();
    if (args.flags.has('json')) await writeJsonReport(report, out);
    else out.write(forTerminalLines(humanReport(file, report, s.loaded!.loadMs, keyLogLines(s))));
    return 0;
  } finally {
    await engine.close();
  }
}

/** `--workers N`: analysis worker threads (0 = this thread only). */
function parseWorkers(values: string[] | undefined): number | undefined {
  const v = values?.[values.length - 1];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 16) throw new UsageError(`--workers expects a number of threads from 0 to 16, got '${v}'`);
  return n;
}

/** The report for a person. Every field that came from the capture goes through forTerminal (one line, escapes visible). */
function humanReport(file: string, r: AnalysisReport, loadMs: number, keyLines: string[] = []): string {
  const t = forTerminal;
  const c = r.capture;
  const lines: string[] = [];
  lines.push(`${t(file)}: ${t(c.format)}, ${c.packets} packets, ${humanBytes(c.bytes)}, ${c.durationSec.toFixed(3)} s`);
  lines.push(`  link types: ${c.linkTypes.map((l) => `${t(l.name)} (${l.code})`).join(', ') || 'none'}`);
  if (c.firstTime) lines.push(`  first packet: ${t(c.firstTime)}`);
  if (c.truncated) lines.push('  ! the file is cut short: the last record is incomplete');
  for (const d of c.diagnostics.slice(0, 10)) lines.push(`  ! ${t(d.code)}: ${t(d.message)}${d.frame ? ` (frame ${d.frame})` : ''}`);
  if (c.diagnostics.length > 10) lines.push(`  … ${c.diagnostics.length - 10} more diagnostics (see --json)`);
  lines.push(`  analysed in ${loadMs.toFixed(0)} ms`);
  for (const l of keyLines) lines.push(`  ${l}`);
  lines.push('');
  lines.push(`${r.connections.length} TCP connection(s):`);
  for (const k of r.connections) {
    const hs = k.handshake.complete ? `handshake ${k.handshake.rttMs?.toFixed(3) ?? '?'} ms` : `handshake ${t(k.handshake.outcome)}`;
    lines.push(
      `  #${pad(String(k.id), 3)} ${pad(t(k.client), 24)} → ${pad(t(k.server), 24)} ${pad(t(k.protocol), 8)} ${k.packets} pkts, ${humanBytes(k.streams.client.bytes)} ↑ ${humanBytes(k.streams.server.bytes)} ↓, ${hs}, close ${t(k.close)}`,
    );
    for (const e of k.ladder.slice(0, 40)) {
      const arrow = e.from === 'client' ? '  →' : '←  ';
      lines.push(`        ${arrow} ${pad(String(e.frame), 6)} ${e.insideTls ? '[decrypted] ' : ''}${t(e.label)}`);
    }
    if (k.ladder.length > 40) lines.push(`        … ${k.ladder.length - 40} more events (see --json)`);
  }
  if (r.credentials.length) {
    lines.push('');
    lines.push(r.credentials.some((cr) => cr.insideTls) ? 'Credentials seen:' : 'Credentials seen in clear text:');
    for (const cr of r.credentials)
      lines.push(`  ${t(cr.protocol)} ${t(cr.mechanism)} user=${t(JSON.stringify(cr.username))} password=${t(JSON.stringify(cr.password))} (connection #${cr.connection}, frame ${cr.frame})${cr.outcome ? ` login ${cr.outcome === 'unknown' ? 'not answered' : cr.outcome}` : ''}${cr.insideTls ? ` — ${TLS_NOTES.credentialInsideTls}` : ''}`);
  }
  return lines.join('\n') + '\n';
}
