import type { AnalysisReport } from '../../../dissectors/analysis/types';
import { Engine } from '../../engine/engine';
import type { ParsedArgs } from '../args';
import { UsageError } from '../args';
import { parseDecodeAs } from '../decode-as';
import { humanBytes, pad } from '../format';

/** `wirelens analyze FILE [--json] [--decode-as PORT=PROTO] [--workers N]`: the whole-file view. */
export async function analyzeCommand(args: ParsedArgs, out: NodeJS.WritableStream): Promise<number> {
  const file = args.positionals[0];
  if (!file) throw new UsageError('analyze: missing FILE');
  const engine = new Engine({ decodeAs: parseDecodeAs(args.values.get('decode-as') ?? []), workers: parseWorkers(args.values.get('workers')), batch: true });
  try {
    const s = await engine.openAndWait(file);
    const report = s.fullReport();
    if (args.flags.has('json')) writeJson(report, out);
    else out.write(humanReport(file, report, s.loaded!.loadMs));
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

/**
 * The report as `JSON.stringify(report, jsonReplacer, 2)` would write it, byte for byte, but one
 * top-level field and one array element at a time: a big capture's report is never one string (on
 * 1 GiB that string and its copies were ~300 MB at the peak).
 */
export function writeJson(report: object, out: NodeJS.WritableStream): void {
  // What JSON.stringify omits: undefined, functions and (jsonReplacer) payload bytes.
  const entries = Object.entries(report).filter(([, v]) => jsonReplacer('', v) !== undefined && typeof v !== 'function');
  if (entries.length === 0) {
    out.write('{}\n');
    return;
  }
  out.write('{');
  entries.forEach(([key, value], k) => {
    out.write(`${k ? ',' : ''}\n  ${JSON.stringify(key)}: `);
    if (Array.isArray(value) && value.length > 0) {
      out.write('[');
      value.forEach((item, i) => out.write(`${i ? ',' : ''}\n    ${nested(item, 4)}`));
      out.write('\n  ]');
    } else out.write(nested(value, 2));
  });
  out.write('\n}\n');
}

/** A value's JSON at a nesting depth of `indent` spaces (JSON strings never hold a raw newline). */
function nested(value: unknown, indent: number): string {
  const text = JSON.stringify(value, jsonReplacer, 2) ?? 'null';
  return text.replace(/\n/g, '\n' + ' '.repeat(indent));
}

/** Typed arrays (kept payloads) never go to JSON; they are summarised by size. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return undefined;
  return value;
}

function humanReport(file: string, r: AnalysisReport, loadMs: number): string {
  const c = r.capture;
  const lines: string[] = [];
  lines.push(`${file}: ${c.format}, ${c.packets} packets, ${humanBytes(c.bytes)}, ${c.durationSec.toFixed(3)} s`);
  lines.push(`  link types: ${c.linkTypes.map((l) => `${l.name} (${l.code})`).join(', ') || 'none'}`);
  if (c.firstTime) lines.push(`  first packet: ${c.firstTime}`);
  if (c.truncated) lines.push('  ! the file is cut short: the last record is incomplete');
  for (const d of c.diagnostics.slice(0, 10)) lines.push(`  ! ${d.code}: ${d.message}${d.frame ? ` (frame ${d.frame})` : ''}`);
  if (c.diagnostics.length > 10) lines.push(`  … ${c.diagnostics.length - 10} more diagnostics (see --json)`);
  lines.push(`  analysed in ${loadMs.toFixed(0)} ms`);
  lines.push('');
  lines.push(`${r.connections.length} TCP connection(s):`);
  for (const k of r.connections) {
    const hs = k.handshake.complete ? `handshake ${k.handshake.rttMs?.toFixed(3) ?? '?'} ms` : `handshake ${k.handshake.outcome}`;
    lines.push(
      `  #${pad(String(k.id), 3)} ${pad(k.client, 24)} → ${pad(k.server, 24)} ${pad(k.protocol, 8)} ${k.packets} pkts, ${humanBytes(k.streams.client.bytes)} ↑ ${humanBytes(k.streams.server.bytes)} ↓, ${hs}, close ${k.close}`,
    );
    for (const e of k.ladder.slice(0, 40)) {
      const arrow = e.from === 'client' ? '  →' : '←  ';
      lines.push(`        ${arrow} ${pad(String(e.frame), 6)} ${e.label}`);
    }
    if (k.ladder.length > 40) lines.push(`        … ${k.ladder.length - 40} more events (see --json)`);
  }
  if (r.credentials.length) {
    lines.push('');
    lines.push('Credentials seen in clear text:');
    for (const cr of r.credentials)
      lines.push(`  ${cr.protocol} ${cr.mechanism} user=${JSON.stringify(cr.username)} password=${JSON.stringify(cr.password)} (connection #${cr.connection}, frame ${cr.frame})`);
  }
  return lines.join('\n') + '\n';
}
