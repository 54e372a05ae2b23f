/**
 * `wirelens export`, `wirelens merge` and `wirelens export-objects`: Wireshark's Export Specified
 * Packets, File › Merge (as mergecap) and Export Objects, from the command line.
 */
import { constants, promises as fsp } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { ExportObjectProtocol } from '../../../api/engine-api';
import type { SavedFormat } from '../../capture/capture-file-writer';
import { Engine } from '../../engine/engine';
import { listObjects, objectBytes } from '../../engine/export-objects';
import { mergeCaptures } from '../../engine/packet-export';
import { single, UsageError, type ParsedArgs } from '../args';
import { forTerminal, humanBytes } from '../format';

/** Most bytes `export-objects` writes in one run, unless --max-mb says otherwise. */
export const DEFAULT_OBJECTS_MAX_MB = 1024;

function formatOf(args: ParsedArgs, out: string): SavedFormat {
  const f = single(args, 'format') ?? (/\.pcap$/i.test(out) ? 'pcap' : 'pcapng');
  if (f !== 'pcap' && f !== 'pcapng') throw new UsageError(`--format must be pcap or pcapng, got '${f}'`);
  return f;
}

/** `--range A-B` (frames, inclusive) or `--range N`. */
function rangeOf(text: string | undefined): { first: number; last: number } | null {
  if (text === undefined) return null;
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) throw new UsageError(`--range is FIRST-LAST (frame numbers), got '${text}'`);
  const first = Number(m[1]);
  const last = m[2] === undefined ? first : Number(m[2]);
  if (first < 1 || last < first)
    throw new UsageError(`--range ${text}: frames start at 1 and LAST is not before FIRST`);
  return { first, last };
}

/** `wirelens export FILE [--filter EXPR] [--range A-B] -w OUT [--format pcap|pcapng]` */
export async function exportCommand(args: ParsedArgs, out: NodeJS.WritableStream): Promise<number> {
  const [file] = args.positionals;
  const target = single(args, 'w');
  if (!file || !target)
    throw new UsageError(
      'export: usage: wirelens export FILE [--filter EXPR] [--range FIRST-LAST] -w OUT [--format pcap|pcapng]',
    );
  const format = formatOf(args, target);
  const range = rangeOf(single(args, 'range'));
  const engine = new Engine({ batch: true });
  try {
    const s = await engine.openAndWait(file);
    const filter = single(args, 'filter') ?? '';
    const f = await engine.setFilter(s.info.id, filter);
    if (!f.ok) throw new UsageError(`--filter: ${f.error}`);
    let frames = engine.selectionOf(s, { kind: 'displayed' });
    if (range) {
      const inRange = engine.selectionOf(s, { kind: 'range', ...range })!;
      frames = frames ? new Set([...inRange].filter((x) => frames!.has(x))) : inRange;
    }
    const r = await engine.exportFramesTo(s.info.id, frames, format, target);
    out.write(
      `wrote ${r.packets} of ${s.analyzer.index.count} packets (${humanBytes(r.bytes)}) to ${forTerminal(target)} as ${format}\n`,
    );
    return 0;
  } finally {
    await engine.close();
  }
}

/** `wirelens merge A B … -w OUT [--format pcap|pcapng]` */
export async function mergeCommand(args: ParsedArgs, out: NodeJS.WritableStream): Promise<number> {
  const target = single(args, 'w');
  if (args.positionals.length < 1 || !target)
    throw new UsageError('merge: usage: wirelens merge FILE FILE… -w OUT [--format pcap|pcapng]');
  const r = await mergeCaptures(args.positionals, target, formatOf(args, target));
  out.write(
    `merged ${args.positionals.length} file(s): ${r.packets} packets in time order (${humanBytes(r.bytes)}) to ${forTerminal(target)}\n`,
  );
  return 0;
}

const PROTOCOLS: readonly ExportObjectProtocol[] = ['http', 'imf', 'ftp-data'];

/** Creates `name` inside `dir`, never outside it and never over an existing file. */
async function writeInside(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  const path = resolve(dir, name);
  if (!path.startsWith(dir + sep)) throw new Error(`refusing to write outside ${dir}: ${name}`);
  const fh = await fsp.open(
    path,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
    0o644,
  );
  try {
    await fh.writeFile(bytes);
  } finally {
    await fh.close();
  }
  return path;
}

/** `wirelens export-objects FILE --protocol http|imf|ftp-data --out DIR [--max-mb N]` */
export async function exportObjectsCommand(
  args: ParsedArgs,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  const [file] = args.positionals;
  const protocol = single(args, 'protocol');
  const dirArg = single(args, 'out');
  if (!file || !protocol || !dirArg)
    throw new UsageError(
      'export-objects: usage: wirelens export-objects FILE --protocol http|imf|ftp-data --out DIR [--max-mb N]',
    );
  if (!(PROTOCOLS as readonly string[]).includes(protocol))
    throw new UsageError(`--protocol must be one of ${PROTOCOLS.join(', ')}, got '${protocol}'`);
  const maxMb = Number(single(args, 'max-mb') ?? DEFAULT_OBJECTS_MAX_MB);
  if (!Number.isFinite(maxMb) || maxMb <= 0) throw new UsageError('--max-mb must be a positive number');
  const maxBytes = maxMb * 1024 * 1024;
  await fsp.mkdir(dirArg, { recursive: true });
  const dir = await fsp.realpath(dirArg);
  const engine = new Engine({ batch: true });
  try {
    const s = await engine.openAndWait(file);
    const chosen = listObjects(s).filter((o) => o.info.protocol === protocol);
    let written = 0;
    let total = 0;
    let failed = 0;
    for (const o of chosen) {
      if (total + o.info.size > maxBytes) {
        err.write(
          `wirelens: stopped before ${forTerminal(o.info.filename)}: the objects saved would pass ${maxMb} MiB (--max-mb raises the limit)\n`,
        );
        failed++;
        break;
      }
      try {
        const { bytes, info } = await objectBytes(s, o.info.index);
        await writeInside(dir, info.filename, bytes);
        total += bytes.length;
        written++;
        out.write(
          `${String(info.frame).padStart(7)}  ${humanBytes(bytes.length).padStart(10)}  ${forTerminal(info.filename)}\n`,
        );
      } catch (e) {
        failed++;
        const code = (e as NodeJS.ErrnoException).code;
        err.write(
          `wirelens: ${forTerminal(o.info.filename)} not saved: ${code === 'EEXIST' ? `a file of that name is already in ${dir}` : forTerminal((e as Error).message)}\n`,
        );
      }
    }
    out.write(
      `saved ${written} of ${chosen.length} ${protocol} object(s) (${humanBytes(total)}) in ${forTerminal(join(dir))}\n`,
    );
    return failed ? 1 : 0;
  } finally {
    await engine.close();
  }
}
