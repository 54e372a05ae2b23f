/**
 * Browser mode: serves the renderer and the engine (over a WebSocket). Every request must carry the
 * secret of this server start and name the server itself (see AccessGate); each page then has its
 * own view of the captures (see ClientEngine). Listens on 127.0.0.1 unless told otherwise.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { WS_PATH, type RpcEventMessage } from '../../api/engine-api';
import type { Engine } from '../engine/engine';
import {
  AccessGate,
  browserCookie,
  browserIdOf,
  newBrowserId,
  allowedHosts,
  generateToken,
  OPEN_PRINTED_URL,
  tokenCookie,
  tokenProblem,
} from './access-gate';
import { CaptureAccess } from './capture-access';
import { ClientConnection } from './client-connection';
import { ClientEngine } from './client-engine';
import { serveCaptureFile } from './download';
import { SERVER_LIMITS, type ServerLimits } from './limits';
import { securityHeaders, serveStatic } from './static-files';

export { BINARY_FRAME_FROM, frameJson } from './client-connection';

export interface ServeOptions {
  engine: Engine;
  rendererRoot: string;
  port?: number;
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** The secret pages must present; generated (256 bits) when not given, refused when shorter than 128 bits. */
  token?: string;
  /** Server-side files a page may open by path (the FILE argument). */
  openableFiles?: readonly string[];
  /** Folders under which a page may open files by path (`--dir`). */
  openableDirs?: readonly string[];
  /** Captures pages open are shown to every page (a teacher's `--share`); by default each page sees only its own. */
  share?: boolean;
  /** The capture file behind an open capture, for GET /download/ID (default: the engine's). */
  captureFile?: (id: string) => { path: string; name: string } | null;
  /** Lower limits (tests). */
  limits?: Partial<ServerLimits>;
}

export interface RunningServer {
  /** The URL to open: it carries the token. */
  url: string;
  port: number;
  token: string;
  server: Server;
  /** What each connected page has waiting (tests, diagnostics). */
  clientStats(): ReturnType<ClientConnection['stats']>[];
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}

function refuse(res: ServerResponse, status: number, body: string, html = false): void {
  res
    .writeHead(status, {
      ...securityHeaders(),
      'Content-Type': html ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
    })
    .end(body);
}

/** The path of a request target, or null when it is not a plain absolute path. */
function targetPath(target: string | undefined): string | null {
  if (!target || !target.startsWith('/')) return null;
  const end = target.search(/[?#]/);
  return end < 0 ? target : target.slice(0, end);
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? generateToken();
  const problem = tokenProblem(token);
  if (problem) throw new Error(problem);
  const limits: ServerLimits = { ...SERVER_LIMITS, ...opts.limits };
  const engine = opts.engine;
  const access = new CaptureAccess(opts.share ?? false, limits.capturesPerBrowser);
  const offEngine = engine.onEvent((e) => access.route(e));
  const captureFile = opts.captureFile ?? ((id: string) => engine.captureFile(id));
  const policy = {
    files: opts.openableFiles ?? [],
    dirs: opts.openableDirs ?? [],
    allowCapture: isLoopback(host),
    maxUploadBytes: limits.maxUploadBytes,
  };
  let gate: AccessGate | null = null;
  const connections = new Set<ClientConnection>();

  const server = createServer((req, res) => {
    const verdict = gate ? gate.check(req.url, req.headers) : { ok: false as const, why: 'starting' };
    if (!verdict.ok) return refuse(res, 403, `${OPEN_PRINTED_URL}<p>Refused: ${verdict.why}.</p>\n`, true);
    const cookies = verdict.fromQuery ? [tokenCookie(port, token)] : [];
    if (browserIdOf(req.headers, port) === null) cookies.push(browserCookie(port, newBrowserId()));
    if (cookies.length) res.setHeader('Set-Cookie', cookies);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'only GET and HEAD');
    const path = targetPath(req.url);
    if (path === null) return refuse(res, 400, 'bad request target');
    if (path.startsWith('/download/')) {
      void serveCaptureFile(path.slice('/download/'.length), (id) => downloadable(id), res);
      return;
    }
    void serveStatic(opts.rendererRoot, path, req.method === 'HEAD', res);
  });
  // A client that trickles its request headers (or never finishes a request) is cut off.
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  server.on('clientError', (_err, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  /** A capture a download may serve: shared or named by a page's private id, fully read, and a capture file. */
  async function downloadable(
    id: string,
  ): Promise<{ path: string; name: string } | { refused: string } | null> {
    const engineId = access.forDownload(id);
    const found = engineId === null ? null : captureFile(engineId);
    if (!engineId || !found) return null;
    const st = await engine.getStatus(engineId).catch(() => null);
    if (!st || st.state === 'error')
      return { refused: 'this file is not a capture Wirelens could read, so it is not offered for download' };
    if (st.state === 'loading') return { refused: 'the capture is still loading: save it once it is loaded' };
    return found;
  }

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxMessageBytes,
    perMessageDeflate: false,
  });
  wss.on('error', () => undefined);
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const verdict = gate ? gate.check(req.url, req.headers) : { ok: false as const, why: 'starting' };
    const refused = !verdict.ok
      ? '403 Forbidden'
      : targetPath(req.url) !== WS_PATH
        ? '404 Not Found'
        : wss.clients.size >= limits.maxClients
          ? '503 Service Unavailable'
          : null;
    if (refused) {
      socket.end(`HTTP/1.1 ${refused}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Malformed frames (bad UTF-8, reserved opcodes or bits, unmasked, oversized) close the
      // connection with 1002/1007/1009; the error is only reported here, it must not end the server.
      ws.on('error', () => undefined);
      const api = new ClientEngine(engine, access, policy, browserIdOf(req.headers, port) ?? newBrowserId());
      const conn = new ClientConnection(ws, api, limits);
      connections.add(conn);
      const off = api.onEvent((event) => conn.sendEvent({ event } satisfies RpcEventMessage));
      access.add(api);
      ws.on('close', () => {
        off();
        access.remove(api);
        connections.delete(conn);
        void api.closed();
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => {
      offEngine();
      reject(e);
    });
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  gate = new AccessGate(token, port, allowedHosts(host, port));
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    server,
    clientStats: () => [...connections].map((c) => c.stats()),
    close: () =>
      new Promise<void>((resolve) => {
        offEngine();
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
