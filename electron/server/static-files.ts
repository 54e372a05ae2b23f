/** Serves the built renderer (dist/renderer) with a strict CSP; never lists directories or leaves the root. */
import { promises as fsp } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

export const BROWSER_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-src 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': BROWSER_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  };
}

/**
 * The built UI is small and does not change while the server runs: files are kept in memory after
 * the first read, so a page load is answered at once even while the engine is busy loading a big
 * capture (no file-system round trips between two chunks of analysis).
 */
const cache = new Map<string, Buffer>();
const MAX_CACHED_FILE = 8 * 1024 * 1024;

async function readCached(file: string): Promise<Buffer> {
  const hit = cache.get(file);
  if (hit) return hit;
  const body = await fsp.readFile(file);
  if (body.length <= MAX_CACHED_FILE) cache.set(file, body);
  return body;
}

/** Serves `path` (the request target's path, still percent-encoded) from `root`. */
export async function serveStatic(
  root: string,
  path: string,
  head: boolean,
  res: ServerResponse,
): Promise<void> {
  let rel: string;
  try {
    rel = decodeURIComponent(path);
  } catch {
    res
      .writeHead(400, { ...securityHeaders(), 'Content-Type': 'text/plain' })
      .end('bad request: the path is not valid percent-encoding');
    return;
  }
  if (rel === '/' || rel === '') rel = '/index.html';
  const base = resolve(root);
  const file = resolve(join(base, normalize(rel)));
  if (rel.includes('\0') || (file !== base && !file.startsWith(base + sep))) {
    res.writeHead(403, securityHeaders()).end('forbidden');
    return;
  }
  try {
    const body = await readCached(file);
    res.writeHead(200, {
      ...securityHeaders(),
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
    });
    res.end(head ? undefined : body);
  } catch {
    res.writeHead(404, { ...securityHeaders(), 'Content-Type': 'text/plain' }).end('not found');
  }
}
