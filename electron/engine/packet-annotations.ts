/**
 * What a user adds to an open capture: marked packets (Ctrl+M) and packet comments. Comments start
 * as the file's own (pcapng opt_comment, read once in a pass of their own) and the user's edits lie
 * on top; Export Specified Packets writes them into the saved pcapng. And time references (Ctrl+T):
 * packets from which the following packets' times are counted.
 */
import type { CaptureSession } from './capture-session';
import { readPacketComments } from './packet-export';

/** Longest comment kept (characters); a pcapng option holds about 64 KiB. */
export const MAX_COMMENT_CHARS = 16000;
/** Most packets that can be marked at once. */
export const MAX_MARKED = 1_000_000;

interface Annotations {
  marked: Set<number>;
  /** Time references (Ctrl+T), ascending. */
  timeRefs: number[];
  /** The user's edits: a comment, or null for a removed one. */
  edits: Map<number, string | null>;
  fileComments: Map<number, string> | null;
  reading: Promise<Map<number, string>> | null;
}

const bySession = new WeakMap<CaptureSession, Annotations>();

function of(s: CaptureSession): Annotations {
  let a = bySession.get(s);
  if (!a)
    bySession.set(
      s,
      (a = { marked: new Set(), timeRefs: [], edits: new Map(), fileComments: null, reading: null }),
    );
  return a;
}

/** The file's packet comments (read once; none for a capture still being written). */
export async function fileComments(s: CaptureSession): Promise<Map<number, string>> {
  const a = of(s);
  if (a.fileComments) return a.fileComments;
  if (s.capturing) return new Map();
  a.reading ??= readPacketComments(s.handle.source.path).catch(() => new Map<number, string>());
  a.fileComments = await a.reading;
  return a.fileComments;
}

/** A frame's comment now: the user's edit, else the file's (only once the file's were read). */
export function commentOf(s: CaptureSession, frame: number): string | null {
  const a = of(s);
  const edit = a.edits.get(frame);
  if (edit !== undefined) return edit;
  return a.fileComments?.get(frame) ?? null;
}

/** Every commented frame (ascending) with its comment. */
export async function allComments(s: CaptureSession): Promise<Array<{ frame: number; comment: string }>> {
  const file = await fileComments(s);
  const frames = new Set([...file.keys(), ...of(s).edits.keys()]);
  return [...frames]
    .sort((x, y) => x - y)
    .map((frame) => ({ frame, comment: commentOf(s, frame) }))
    .filter((c): c is { frame: number; comment: string } => c.comment !== null);
}

/** Sets (or with '' / null removes) a frame's comment. */
export function setComment(s: CaptureSession, frame: number, comment: string | null): string | null {
  if (!Number.isInteger(frame) || frame < 1 || frame > s.analyzer.index.count)
    throw new Error(`no frame ${frame}`);
  const text = comment === null ? '' : String(comment).slice(0, MAX_COMMENT_CHARS);
  of(s).edits.set(frame, text.trim() === '' ? null : text);
  return commentOf(s, frame);
}

/** The comment to write for a frame on export: undefined keeps the file's. */
export function editedComment(s: CaptureSession, frame: number): string | null | undefined {
  return of(s).edits.get(frame);
}

export function isMarked(s: CaptureSession, frame: number): boolean {
  return of(s).marked.has(frame);
}

/** Marks or unmarks frames; returns every marked frame (ascending). */
export function setMarked(s: CaptureSession, frames: readonly number[], marked: boolean): number[] {
  const set = of(s).marked;
  const count = s.analyzer.index.count;
  for (const f of frames) {
    if (!Number.isInteger(f) || f < 1 || f > count) continue;
    if (marked) {
      if (set.size >= MAX_MARKED)
        throw new Error(`at most ${MAX_MARKED.toLocaleString('en')} packets can be marked`);
      set.add(f);
    } else set.delete(f);
  }
  return markedFrames(s);
}

export function markedFrames(s: CaptureSession): number[] {
  return [...of(s).marked].sort((x, y) => x - y);
}

/** Most time references at once. */
export const MAX_TIME_REFS = 10000;

/** Sets or clears a time reference; returns every reference (ascending). */
export function setTimeReference(s: CaptureSession, frame: number, on: boolean): number[] {
  if (!Number.isInteger(frame) || frame < 1 || frame > s.analyzer.index.count)
    throw new Error(`no frame ${frame}`);
  const a = of(s);
  const refs = new Set(a.timeRefs);
  if (on) {
    if (refs.size >= MAX_TIME_REFS && !refs.has(frame))
      throw new Error(`at most ${MAX_TIME_REFS} time references`);
    refs.add(frame);
  } else refs.delete(frame);
  a.timeRefs = [...refs].sort((x, y) => x - y);
  return a.timeRefs;
}

/** The last time reference at or before `frame` (capture order), or 0 for none. */
function referenceOf(refs: readonly number[], frame: number): number {
  let lo = 0;
  let hi = refs.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (refs[m] <= frame) lo = m + 1;
    else hi = m;
  }
  return lo ? refs[lo - 1] : 0;
}

/** Adds the comment, the mark and the time reference to rows of the packet list (fields left out when absent). */
export function annotateRows<
  T extends { no: number; time: number; comment?: string; marked?: boolean; timeRef?: boolean },
>(s: CaptureSession, rows: T[]): T[] {
  const a = of(s);
  const time = s.analyzer.index.time;
  for (const r of rows) {
    const c = commentOf(s, r.no);
    if (c !== null) r.comment = c;
    if (a.marked.has(r.no)) r.marked = true;
    const ref = a.timeRefs.length ? referenceOf(a.timeRefs, r.no) : 0;
    if (ref) {
      r.time = time[r.no - 1] - time[ref - 1];
      if (ref === r.no) r.timeRef = true;
    }
  }
  return rows;
}

/**
 * Largest file whose comments a request waits for: reading them is a second pass over the file
 * (about 300 MB/s), about 0.1 s here; a bigger file's are read in the background and shown on the
 * rows and details asked for once they are read.
 */
const WAIT_FOR_COMMENTS_BYTES = 32 * 1024 * 1024;

/** Reads the file's comments when the load has ended (waited for on files up to 32 MiB). */
export async function commentsReady(s: CaptureSession): Promise<void> {
  if (!s.loaded || s.loaded.summary.format !== 'pcapng') return;
  const reading = fileComments(s);
  if (s.handle.source.size <= WAIT_FOR_COMMENTS_BYTES) await reading;
}
