/**
 * The desktop app's page is served from its own scheme, `app://wirelens/…`, not from file://:
 * file:// pages get extra privileges and share one origin with every local file (on Windows a
 * `file://host/…` URL is a network share). The scheme is registered as standard and secure (an
 * origin of its own, the page a secure context), and the handler serves only the files of the
 * built renderer, under the app's CSP. Pure logic and a Fetch-API handler, no `electron` import:
 * main.ts registers them, tests call them directly.
 */
import { promises as fsp } from 'node:fs';
import { extname, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'wirelens';
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** protocol.registerSchemesAsPrivileged's entry: an origin like https (standard, secure), fetch and module scripts allowed. */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: true,
} as const;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/**
 * The file under `root` that an `app://wirelens/…` URL names, with its type; null for another
 * scheme or host, credentials, a path that would leave `root`, NUL or backslashes, or a type the
 * renderer does not have.
 */
export function appFileFor(url: string, root: string): { path: string; type: string } | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST || u.username || u.password) return null;
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (path === '/') path = '/index.html';
  if (/[\0\\]/.test(path) || path.split('/').some((seg) => seg === '..' || seg === '.')) return null;
  const base = resolve(root);
  const file = resolve(base, `.${path}`);
  if (!file.startsWith(base + sep)) return null;
  const type = TYPES[extname(file).toLowerCase()];
  return type ? { path: file, type } : null;
}

/** The app:// handler: GET/HEAD of the renderer's files with the security headers; 403/404/405 otherwise. */
export async function serveAppRequest(
  request: { url: string; method: string },
  root: string,
  headers: Record<string, string>,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return new Response('method not allowed', { status: 405, headers });
  const file = appFileFor(request.url, root);
  if (!file) return new Response('not part of Wirelens', { status: 403, headers });
  let body: Buffer;
  try {
    body = await fsp.readFile(file.path);
  } catch {
    return new Response('not found', { status: 404, headers });
  }
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: { ...headers, 'Content-Type': file.type },
  });
}
