/**
 * Browser mode: serves the renderer and the engine (over a WebSocket) on 127.0.0.1. Exposing it to
 * a classroom network needs an explicit host and then a token in the URL.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { WS_PATH, type EngineApi, type RpcEventMessage } from '../../api/engine-api';
import { dispatchRpc } from './rpc';
import { serveCaptureFile } from './download';
import { securityHeaders, serveStatic } from './static-files';

export interface ServeOptions {
  engine: EngineApi;
  rendererRoot: string;
  port?: number;
  /** Listen address; anything but loopback requires a token. */
  host?: string;
  /** Token required in the page URL and WebSocket URL (?token=). Generated when host is not loopback. */
  token?: string;
  /** Allow the page to open files by server-side path (only on loopback without a token). */
  allowOpenPath?: boolean;
  /** The capture file behind an open capture, for GET /download/ID (browser mode's Save). */
  captureFile?: (id: string) => { path: string; name: string } | null;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string | null;
  server: Server;
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? (isLoopback(host) ? null : randomBytes(16).toString('hex'));
  const allowOpenPath = opts.allowOpenPath ?? (isLoopback(host) && token === null);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const guarded = url.pathname === '/' || url.pathname.startsWith('/download/');
    if (token && guarded && url.searchParams.get('token') !== token) {
      res.writeHead(401, { ...securityHeaders(), 'Content-Type': 'text/plain' }).end('token required: open the URL printed by `wirelens serve`');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, securityHeaders()).end();
      return;
    }
    if (url.pathname.startsWith('/download/')) {
      void serveCaptureFile(url.pathname.slice('/download/'.length), opts.captureFile, res);
      return;
    }
    void serveStatic(opts.rendererRoot, req, res);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const origin = req.headers.origin;
    const hostHeader = req.headers.host;
    const sameOrigin = !origin || (hostHeader !== undefined && (origin === `http://${hostHeader}` || origin === `https://${hostHeader}`));
    if (url.pathname !== WS_PATH || !sameOrigin || (token && url.searchParams.get('token') !== token)) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, opts.engine, allowOpenPath));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}/${token ? `?token=${token}` : ''}`;
  return {
    url,
    port,
    token,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };
}

/**
 * Big answers (a 10,000-event ladder is 2.4 MB of JSON) go as binary frames of UTF-8 JSON: Chromium
 * took 310-530 ms to receive that as a text message and 160-250 ms as binary (decoding included in
 * the page, which reads both).
 */
export const BINARY_FRAME_FROM = 64 * 1024;

export function frameJson(message: unknown): string | Buffer {
  const text = JSON.stringify(message);
  return text.length >= BINARY_FRAME_FROM ? Buffer.from(text) : text;
}

function attach(ws: WebSocket, engine: EngineApi, allowOpenPath: boolean): void {
  const off = engine.onEvent((event) => {
    const msg: RpcEventMessage = { event };
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  });
  ws.on('close', off);
  ws.on('message', async (data) => {
    let req: unknown;
    try {
      req = JSON.parse(String(data));
    } catch {
      return;
    }
    const r = req as { id?: unknown; method?: unknown };
    if (r.method === 'openFile' && !allowOpenPath) {
      ws.send(JSON.stringify({ id: r.id, error: 'opening server-side paths is disabled on a shared server; upload the file instead' }));
      return;
    }
    if ((r.method === 'startCapture' || r.method === 'stopCapture') && !allowOpenPath) {
      ws.send(JSON.stringify({ id: r.id, error: 'starting and stopping captures is reserved to the machine running `wirelens serve` (the class sees the capture the teacher started)' }));
      return;
    }
    const res = await dispatchRpc(engine, req);
    if (res && ws.readyState === ws.OPEN) ws.send(frameJson(res));
  });
}
