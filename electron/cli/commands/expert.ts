/**
 * `wirelens expert FILE [--json] [--frames]`: Expert Information, laid out as `tshark -q -z expert`
 * prints it (severity sections, then frequency, group, protocol and summary per line); --frames adds
 * each entry's frame numbers; --json gives the grouped data (ExpertInfo) whole.
 */
import type { ExpertSeverity } from '../../../api/engine-api';
import { Engine } from '../../engine/engine';
import { UsageError, type ParsedArgs } from '../args';
import { forTerminal, padLeft } from '../format';
import { writeJsonReport } from '../json-stream';
import { keyLogsFromArgs } from '../keylog-option';

const SECTION: Record<ExpertSeverity, string> = {
  error: 'Errors',
  warn: 'Warns',
  note: 'Notes',
  chat: 'Chats',
};

export async function expertCommand(args: ParsedArgs, out: NodeJS.WritableStream): Promise<number> {
  const [file] = args.positionals;
  if (!file) throw new UsageError('expert: usage: wirelens expert FILE [--json] [--frames]');
  const engine = new Engine({ batch: true, keyLogs: keyLogsFromArgs(args) });
  try {
    const s = await engine.openAndWait(file);
    const info = await engine.getExpertInfo(s.info.id);
    if (args.flags.has('json')) {
      await writeJsonReport(info, out);
      return 0;
    }
    const lines: string[] = [];
    for (const severity of ['error', 'warn', 'note', 'chat'] as const) {
      const entries = info.entries.filter((e) => e.severity === severity);
      if (!entries.length) continue;
      lines.push(
        '',
        `${SECTION[severity]} (${info.totals[severity]})`,
        '='.repeat(13),
        '   Frequency      Group           Protocol  Summary',
      );
      for (const e of entries) {
        lines.push(
          `${padLeft(String(e.count), 12)}${padLeft(e.group, 11)}${padLeft(forTerminal(e.protocol), 19)}  ${forTerminal(e.summary)}`,
        );
        if (args.flags.has('frames')) {
          const frames = e.items.flatMap((it) => (it.frame === null ? [] : [it.frame]));
          if (frames.length)
            lines.push(
              `${' '.repeat(14)}frames ${frames.slice(0, 50).join(', ')}${e.count > 50 ? ` … (${e.count} in all)` : ''}`,
            );
        }
      }
    }
    if (!lines.length) lines.push('No expert information: the analysis noticed nothing.');
    out.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await engine.close();
  }
}
