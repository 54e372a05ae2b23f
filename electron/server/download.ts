/**
 * GET /download/ID: the capture file behind an open capture (a live capture's pcapng, an uploaded
 * or opened file) as an attachment — browser mode's "Save capture". Only ids the engine knows are
 * served, only once read and only when the file starts like a capture (a page must never turn
 * another file into a download); the file name offered is sanitised.
 */
import { createReadStream, promises as fsp } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { securityHeaders } from './static-files';

export function downloadName(name: string): string {
  const safe =
    name
      .replace(/^live: /, 'live-')
      .replace(/[^\w.-]+/g, '_')
      .replace(/^[._]+/, '')
      .slice(0, 120) || 'capture';
  return /\.(pcapng|pcap|cap|gz)$/i.test(safe) ? safe : `${safe}.pcapng`;
}

const CAPTURE_MAGIC = [
  'a1b2c3d4',
  'd4c3b2a1',
  'a1b23c4d',
  '4d3cb2a1', // pcap (microsecond, nanosecond; both byte orders)
  '0a0d0d0a', // pcapng section header block
];
const GZIP_MAGIC = '1f8b';

/** Whether a file starts like a capture (pcap, pcapng, or gzip of one: the engine read it whole). */
async function looksLikeCapture(path: string): Promise<boolean> {
  const fh = await fsp.open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await fh.read(head, 0, 4, 0);
    const hex = head.subarray(0, bytesRead).toString('hex');
    return CAPTURE_MAGIC.includes(hex) || hex.startsWith(GZIP_MAGIC);
  } finally {
    await fh.close();
  }
}

export type DownloadLookup = (
  id: string,
) => Promise<{ path: string; name: string } | { refused: string } | null>;

export async function serveCaptureFile(
  id: string,
  lookup: DownloadLookup,
  res: ServerResponse,
): Promise<void> {
  const text = (status: number, body: string) =>
    res
      .writeHead(status, {
        ...securityHeaders(),
        'Content-Type': 'text/plain; charset=utf-8',
        'Cache-Control': 'no-store',
      })
      .end(body);
  try {
    const found = /^[\w-]{1,64}$/.test(id) ? await lookup(id) : null;
    if (!found) return void text(404, 'no such capture');
    if ('refused' in found) return void text(409, found.refused);
    if (!(await looksLikeCapture(found.path)))
      return void text(409, 'this file is not a capture, so it is not offered for download');
    const st = await fsp.stat(found.path);
    res.writeHead(200, {
      ...securityHeaders(),
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(st.size),
      'Content-Disposition': `attachment; filename="${downloadName(found.name)}"`,
      'Cache-Control': 'no-store',
    });
    // Exactly the bytes present now (a live capture keeps growing behind).
    const stream = createReadStream(found.path, { start: 0, end: Math.max(0, st.size - 1) });
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  } catch (e) {
    if (!res.headersSent) text(500, `cannot read the capture: ${(e as Error).message}`);
    else res.destroy();
  }
}
