/**
 * Export Specified Packets and Merge: chosen packets of capture files written to a new pcap or
 * pcapng file. Packets are read again from the files themselves (not from the index), so every
 * timestamp, length and comment is the file's, to the nanosecond.
 */
import { promises as fsp } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { createCaptureReader } from '../../dissectors/capture/reader';
import type { CaptureRecord, CaptureSummary } from '../../dissectors/capture/types';
import { CaptureFileWriter, type SavedFormat } from '../capture/capture-file-writer';
import { openSource, readChunks } from './file-source';

/** Largest file an export or merge writes (the packets' bytes), with its message. */
export const MAX_EXPORT_BYTES = 4 * 1024 * 1024 * 1024;
const TOO_BIG = `the exported file would pass ${MAX_EXPORT_BYTES / 1024 ** 3} GiB; choose fewer packets (a display filter or a range)`;

/** Reads every record of a (decompressed) capture file in order; `each` gets views valid during the call. */
export async function eachRecord(
  path: string,
  each: (r: CaptureRecord, summary: CaptureSummary) => void,
): Promise<CaptureSummary> {
  const reader = createCaptureReader({ onRecord: (r) => each(r, reader.summary()) });
  await readChunks(path, (chunk) => reader.push(chunk));
  return reader.end();
}

/** The pcapng packet comments of a capture file (frame → comment); empty for pcap. */
export async function readPacketComments(path: string): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  await eachRecord(path, (r) => {
    if (r.comment !== undefined) out.set(r.frame, r.comment);
  });
  return out;
}

/**
 * Writes `path` atomically: to a new temporary name beside it, renamed over `path` once whole (a
 * failed export leaves no half file and never touches another file).
 */
async function atomically<T>(
  path: string,
  format: SavedFormat,
  write: (w: CaptureFileWriter) => Promise<T>,
): Promise<T> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.partial`);
  let w: CaptureFileWriter;
  try {
    w = new CaptureFileWriter(tmp, format);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new Error(`cannot write ${path}: the folder ${dirname(path)} does not exist`);
    if (code === 'EACCES')
      throw new Error(`cannot write ${path}: no permission to write in ${dirname(path)}`);
    throw e;
  }
  try {
    const result = await write(w);
    w.close();
    await fsp.rename(tmp, path);
    return result;
  } catch (e) {
    try {
      w.close();
    } catch {
      /* already closed */
    }
    await fsp.rm(tmp, { force: true });
    throw e;
  }
}

export interface ExportOptions {
  format: SavedFormat;
  /** Which frames (1-based) to write. */
  include: (frame: number) => boolean;
  /** Comment to write for a frame: undefined keeps the file's, null removes it, a string replaces it. */
  commentFor?: (frame: number) => string | null | undefined;
}

/** Writes the chosen packets of one capture file (plain or decompressed path) to `out`. */
export async function exportPackets(
  sourcePath: string,
  out: string,
  opts: ExportOptions,
): Promise<{ packets: number; bytes: number }> {
  return atomically(out, opts.format, async (w) => {
    await eachRecord(sourcePath, (r, summary) => {
      if (!opts.include(r.frame)) return;
      if (w.bytes + r.data.length > MAX_EXPORT_BYTES) throw new Error(TOO_BIG);
      const edited = opts.commentFor?.(r.frame);
      w.write({
        tsSec: r.tsSec,
        tsNsec: r.tsNsec,
        origLen: r.origLen,
        linkType: r.linkType,
        interfaceKey: String(r.interfaceId),
        snapLen: summary.interfaces[r.interfaceId]?.snapLen,
        data: r.data,
        comment: edited === undefined ? r.comment : edited,
      });
    });
    return { packets: w.packets, bytes: w.bytes };
  });
}

/** One packet of a merge input, as found in the first pass (bytes are read again when written). */
interface MergeEntry {
  offset: number;
  capLen: number;
  origLen: number;
  tsSec: number;
  tsNsec: number;
  linkType: number;
  interfaceId: number;
  snapLen: number;
  comment?: string;
}

/** Most packets a merge holds in its table (about 60 bytes each). */
export const MAX_MERGE_PACKETS = 20_000_000;

/**
 * Merges capture files into one, in time order as `mergecap` does by default: at each step the
 * input whose next packet is earliest gives its packet (on equal times, the input named first);
 * each input's own order is kept. Each input's interfaces stay separate interfaces (pcapng).
 */
export async function mergeCaptures(
  inputs: string[],
  out: string,
  format: SavedFormat,
): Promise<{ packets: number; bytes: number }> {
  if (inputs.length < 1) throw new Error('merge needs at least one capture file');
  const sources = [];
  try {
    const tables: MergeEntry[][] = [];
    let total = 0;
    for (const input of inputs) {
      const src = await openSource(input);
      sources.push(src);
      const table: MergeEntry[] = [];
      await eachRecord(src.path, (r, summary) => {
        if (++total > MAX_MERGE_PACKETS)
          throw new Error(
            `the files hold more than ${MAX_MERGE_PACKETS.toLocaleString('en')} packets together; merge fewer at a time`,
          );
        table.push({
          offset: r.fileOffset,
          capLen: r.data.length,
          origLen: r.origLen,
          tsSec: r.tsSec,
          tsNsec: r.tsNsec,
          linkType: r.linkType,
          interfaceId: r.interfaceId,
          snapLen: summary.interfaces[r.interfaceId]?.snapLen ?? 0,
          ...(r.comment !== undefined ? { comment: r.comment } : {}),
        });
      }).catch((e: Error) => {
        throw Object.assign(new Error(`${input}: ${e.message}`), { name: e.name });
      });
      tables.push(table);
    }
    const handles = await Promise.all(sources.map((s) => fsp.open(s.path, 'r')));
    try {
      return await atomically(out, format, async (w) => {
        const next = tables.map(() => 0);
        for (;;) {
          let pick = -1;
          for (let k = 0; k < tables.length; k++) {
            const e = tables[k][next[k]];
            if (!e) continue;
            const p = pick < 0 ? undefined : tables[pick][next[pick]];
            if (!p || e.tsSec < p.tsSec || (e.tsSec === p.tsSec && e.tsNsec < p.tsNsec)) pick = k;
          }
          if (pick < 0) break;
          const e = tables[pick][next[pick]++];
          if (w.bytes + e.capLen > MAX_EXPORT_BYTES) throw new Error(TOO_BIG);
          const data = Buffer.alloc(e.capLen);
          await handles[pick].read(data, 0, e.capLen, e.offset);
          w.write({ ...e, interfaceKey: `${pick}:${e.interfaceId}`, data });
        }
        return { packets: w.packets, bytes: w.bytes };
      });
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
  } finally {
    await Promise.all(sources.map((s) => s.dispose()));
  }
}
