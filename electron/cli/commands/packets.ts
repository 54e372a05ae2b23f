import { Engine } from '../../engine/engine';
import type { ParsedArgs } from '../args';
import { single, UsageError } from '../args';
import { parseDecodeAs } from '../decode-as';
import { forTerminal, forTerminalLines, pad, padLeft } from '../format';
import { jsonWriter, StreamWriter } from '../json-stream';
import { keyLogsFromArgs } from '../keylog-option';

const PAGE = 2000;

/** `wirelens packets FILE [--json] [--filter F]`: one row per packet, Wireshark's columns. */
export async function packetsCommand(args: ParsedArgs, out: NodeJS.WritableStream): Promise<number> {
  const file = args.positionals[0];
  if (!file) throw new UsageError('packets: missing FILE');
  const engine = new Engine({ decodeAs: parseDecodeAs(args.values.get('decode-as') ?? []), batch: true, keyLogs: keyLogsFromArgs(args) });
  try {
    const s = await engine.openAndWait(file);
    const filter = single(args, 'filter');
    if (filter) {
      const r = await engine.setFilter(s.info.id, filter);
      if (!r.ok) throw new UsageError(`bad filter: ${r.error}`);
    }
    const json = args.flags.has('json');
    const n = s.rowCount();
    // Row by row through a writer that waits for the output to drain (a pipe to a slow reader).
    // Text rows: every field from the capture escaped for the terminal (and the whole line again).
    const w = json ? jsonWriter(out) : new StreamWriter(out, forTerminalLines);
    let wait: Promise<void> | undefined;
    if (json) await w.write('[');
    for (let start = 0; start < n; start += PAGE) {
      const rows = await engine.getPackets(s.info.id, start, PAGE);
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k];
        if (json) {
          const row = {
            no: r.no,
            time: Math.round(r.time * 1e9) / 1e9,
            source: r.source,
            destination: r.destination,
            protocol: r.protocol,
            length: r.length,
            info: r.info,
            connection: r.connection,
          };
          wait = w.write(`${start + k ? ',' : ''}\n${JSON.stringify(row)}`);
        } else {
          wait = w.write(
            `${padLeft(String(r.no), 6)} ${padLeft(r.time.toFixed(6), 12)} ${pad(forTerminal(r.source), 22)} → ${pad(forTerminal(r.destination), 22)} ${pad(forTerminal(r.protocol), 8)} ${padLeft(String(r.length), 5)} ${forTerminal(r.info)}\n`,
          );
        }
        if (wait) await wait;
      }
    }
    if (json) await w.write('\n]\n');
    await w.end();
    return 0;
  } finally {
    await engine.close();
  }
}
