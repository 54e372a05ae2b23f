/**
 * GET /download/ID: the capture file behind an open capture (a live capture's pcapng, an uploaded
 * or opened file) as an attachment — browser mode's "Save capture". Only ids the engine knows are
 * served; the file name offered is sanitised.
 */
import { createReadStream, promises as fsp } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { securityHeaders } from './static-files';

export function downloadName(name: string): string {
  const safe = name.replace(/^live: /, 'live-').replace(/[^\w.-]+/g, '_').replace(/^[._]+/, '').slice(0, 120) || 'capture';
  return /\.(pcapng|pcap|cap|gz)$/i.test(safe) ? safe : `${safe}.pcapng`;
}

export async function serveCaptureFile(
  id: string,
  lookup: ((id: string) => { path: string; name: string } | null) | undefined,
  res: ServerResponse,
): Promise<void> {
  const found = /^[\w-]{1,64}$/.test(id) && lookup ? lookup(id) : null;
  if (!found) {
    res.writeHead(404, { ...securityHeaders(), 'Content-Type': 'text/plain' }).end('no such capture');
    return;
  }
  try {
    const st = await fsp.stat(found.path);
    res.writeHead(200, {
      ...securityHeaders(),
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(st.size),
      'Content-Disposition': `attachment; filename="${downloadName(found.name)}"`,
      'Cache-Control': 'no-store',
    });
    // Exactly the bytes present now (a live capture keeps growing behind).
    createReadStream(found.path, { start: 0, end: Math.max(0, st.size - 1) }).pipe(res);
  } catch (e) {
    res.writeHead(500, { ...securityHeaders(), 'Content-Type': 'text/plain' }).end(`cannot read the capture: ${(e as Error).message}`);
  }
}
