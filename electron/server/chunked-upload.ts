/**
 * One page's chunked uploads: begin (name, size), chunks in order, end (the file, complete, to open).
 * Each upload is written under Wirelens's private temporary directory (0600) as it arrives, so a
 * large file never sits whole in one message or in the server's memory. Bounded: one upload at a time
 * per page, the size declared first and checked against the server's upload limit, every chunk at
 * most UPLOAD_CHUNK_BYTES and exactly at the offset expected. The ids are the page's own (random).
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { basename, join } from 'node:path';
import { UPLOAD_CHUNK_BYTES } from '../../api/engine-api';
import { runTempDir } from '../shared/private-temp';

let uploadCount = 0;

/** A new private path for an upload named `name` (only a safe part of its base name kept). */
export async function uploadPath(name: unknown): Promise<string> {
  const dir = join(runTempDir(), 'uploads');
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  const safe =
    basename(String(name))
      .replace(/[^\w.-]+/g, '_')
      .replace(/^\.+/, '')
      .slice(0, 100) || 'upload.pcap';
  return join(dir, `${++uploadCount}-${safe}`);
}

export function uploadTooLarge(max: number): string {
  return `upload too large (${Math.floor(max / 1024 / 1024)} MiB at most in the browser): open the file with \`wirelens serve FILE\``;
}

interface Upload {
  name: string;
  path: string;
  size: number;
  /** Bytes accepted so far (a chunk's bytes count once its offset was checked). */
  received: number;
  file: fsp.FileHandle;
  /** A write failed: the upload cannot be completed. */
  broken: string | null;
}

export class ChunkedUploads {
  private readonly uploads = new Map<string, Upload>();

  constructor(private readonly maxBytes: number) {}

  async begin(name: unknown, size: unknown): Promise<{ upload: string }> {
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
      throw new Error('the upload’s size must be a whole number of bytes');
    if (size > this.maxBytes) throw new Error(uploadTooLarge(this.maxBytes));
    if (this.uploads.size > 0)
      throw new Error(
        'another upload of this page is still under way: wait for it to finish, then open the next file',
      );
    const path = await uploadPath(name);
    const file = await fsp.open(path, 'wx', 0o600);
    const id = randomBytes(16).toString('hex');
    this.uploads.set(id, {
      name: basename(String(name)).slice(0, 200) || 'upload.pcap',
      path,
      size,
      received: 0,
      file,
      broken: null,
    });
    return { upload: id };
  }

  async chunk(id: unknown, offset: unknown, bytesBase64: unknown): Promise<{ received: number }> {
    const u = this.get(id);
    if (typeof bytesBase64 !== 'string' || bytesBase64.length > Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4)
      throw new Error(`an upload chunk carries at most ${UPLOAD_CHUNK_BYTES} bytes`);
    if (u.broken) throw new Error(u.broken);
    if (offset !== u.received)
      throw new Error(
        `upload chunk at byte ${String(offset)}, expected byte ${u.received}: send the chunks in order`,
      );
    const bytes = Buffer.from(bytesBase64, 'base64');
    if (u.received + bytes.length > u.size)
      throw new Error(`the upload sends more than the ${u.size} bytes it announced`);
    // Counted before the write: a second chunk for the same offset, sent meanwhile, is refused.
    u.received += bytes.length;
    try {
      await u.file.write(bytes, 0, bytes.length, offset);
    } catch (e) {
      u.broken = `the upload could not be written on the server (${(e as NodeJS.ErrnoException).code ?? 'error'}): try again`;
      throw new Error(u.broken);
    }
    return { received: u.received };
  }

  /** The complete upload's file and name, for the caller to open; the upload is forgotten. */
  async end(id: unknown): Promise<{ path: string; name: string }> {
    const u = this.get(id);
    if (u.broken) throw new Error(u.broken);
    if (u.received !== u.size)
      throw new Error(`the upload ended after ${u.received} of its ${u.size} bytes: send the rest first`);
    this.uploads.delete(String(id));
    await u.file.close();
    return { path: u.path, name: u.name };
  }

  async abort(id: unknown): Promise<void> {
    const u = this.uploads.get(String(id));
    if (!u) return;
    this.uploads.delete(String(id));
    await u.file.close().catch(() => undefined);
    await fsp.rm(u.path, { force: true });
  }

  /** The page went away: its unfinished uploads and their bytes too. */
  async abortAll(): Promise<void> {
    for (const id of [...this.uploads.keys()]) await this.abort(id);
  }

  private get(id: unknown): Upload {
    const u = this.uploads.get(String(id));
    if (!u) throw new Error('no such upload on this page: begin it again');
    return u;
  }
}
