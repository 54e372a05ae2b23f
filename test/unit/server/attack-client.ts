/**
 * Test helpers that talk to a real `startServer` the way an attacker would: raw HTTP requests on a
 * socket (any Host, Origin, target), a raw WebSocket handshake followed by hand-made frames, and an
 * ordinary `ws` client for the engine calls a page makes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { WS_PATH, type EngineEvent } from '../../../api/engine-api';
import { Engine } from '../../../electron/engine/engine';
import { startServer, type RunningServer, type ServeOptions } from '../../../electron/server/server';
import { SAMPLE_CAPTURE } from '../../../electron/shared/paths';

/** A renderer root with a page of its own (the unit tier does not need the built UI). */
export function fakeRenderer(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wirelens-ui-test-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Wirelens test page</title>');
  writeFileSync(join(dir, 'app.js'), 'console.log("wirelens")');
  return dir;
}

export interface Served {
  engine: Engine;
  server: RunningServer;
  /** `127.0.0.1:PORT`, the Host a page on the printed URL sends. */
  host: string;
  origin: string;
  close(): Promise<void>;
}

/** The sample lesson served on 127.0.0.1, port 0. */
export async function serveSample(opts: Partial<ServeOptions> = {}): Promise<Served> {
  const engine = new Engine({});
  await engine.openAndWait(SAMPLE_CAPTURE);
  const server = await startServer({ engine, rendererRoot: fakeRenderer(), port: 0, ...opts });
  const host = `127.0.0.1:${server.port}`;
  return {
    engine,
    server,
    host,
    origin: `http://${host}`,
    close: async () => {
      await server.close();
      await engine.close();
    },
  };
}

export interface RawResponse {
  status: number;
  head: string;
  body: string;
}

/** Sends `request` as written on a fresh connection and reads the answer until the server closes. */
export function rawHttp(port: number, request: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', reject);
    sock.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({
        status: m ? Number(m[1]) : 0,
        head: end < 0 ? text : text.slice(0, end),
        body: end < 0 ? '' : text.slice(end + 4),
      });
    });
    sock.write(request);
  });
}

/** A GET with exactly these headers (Connection: close added). */
export function get(port: number, target: string, headers: Record<string, string>): Promise<RawResponse> {
  const lines = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return rawHttp(port, `GET ${target} HTTP/1.1\r\n${lines}Connection: close\r\n\r\n`);
}

/** A raw WebSocket connection after its handshake (or the refusal's status line). */
export async function rawWebSocket(
  port: number,
  headers: Record<string, string>,
  target = WS_PATH,
): Promise<{ status: number; socket: Socket; frames: () => Buffer }> {
  const sock = connect(port, '127.0.0.1');
  await new Promise<void>((r, j) => sock.once('connect', () => r()).once('error', j));
  const key = randomBytes(16).toString('base64');
  const lines = Object.entries({
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': key,
    ...headers,
  })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  sock.write(`GET ${target} HTTP/1.1\r\n${lines}\r\n`);
  let buf = Buffer.alloc(0);
  sock.on('data', (d) => (buf = Buffer.concat([buf, d])));
  sock.on('error', () => undefined);
  await new Promise<void>((resolve) => {
    const check = () => (buf.includes('\r\n\r\n') ? resolve() : undefined);
    sock.on('data', check);
    sock.on('close', () => resolve());
    check();
  });
  const m = /^HTTP\/1\.1 (\d{3})/.exec(buf.toString('latin1'));
  const headEnd = buf.indexOf('\r\n\r\n') + 4;
  return { status: m ? Number(m[1]) : 0, socket: sock, frames: () => buf.subarray(headEnd) };
}

/** A client frame: FIN + opcode, masked unless told, with the payload length written as asked. */
export function clientFrame(
  first: number,
  payload: Buffer,
  opts: { masked?: boolean; claimedLength?: bigint } = {},
): Buffer {
  const masked = opts.masked ?? true;
  const len = opts.claimedLength ?? BigInt(payload.length);
  const head: number[] = [first];
  const m = masked ? 0x80 : 0;
  if (len < 126n) head.push(m | Number(len));
  else if (len < 65536n) head.push(m | 126, Number(len >> 8n), Number(len & 0xffn));
  else {
    head.push(m | 127);
    for (let i = 7; i >= 0; i--) head.push(Number((len >> BigInt(i * 8)) & 0xffn));
  }
  if (!masked) return Buffer.concat([Buffer.from(head), payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
  return Buffer.concat([Buffer.from(head), mask, body]);
}

/** The close code of the first close frame the server sent, once it closed the connection. */
export function closeCodeOf(frames: Buffer): number | null {
  let i = 0;
  while (i + 2 <= frames.length) {
    const op = frames[i] & 0x0f;
    let len = frames[i + 1] & 0x7f;
    let p = i + 2;
    if (len === 126) {
      len = frames.readUInt16BE(p);
      p += 2;
    } else if (len === 127) {
      len = Number(frames.readBigUInt64BE(p));
      p += 8;
    }
    if (op === 0x8) return len >= 2 ? frames.readUInt16BE(p) : 1005;
    i = p + len;
  }
  return null;
}

export function waitClosed(sock: Socket, ms = 5000): Promise<boolean> {
  return new Promise((resolve) => {
    if (sock.destroyed || sock.readableEnded) return resolve(true);
    const t = setTimeout(() => resolve(false), ms);
    sock.once('close', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

/** A page's engine calls over the `ws` client (Origin and token as the printed URL's page sends them). */
export interface PageClient {
  ws: WebSocket;
  events: EngineEvent[];
  call<T = unknown>(method: string, ...params: unknown[]): Promise<T>;
  close(): void;
}

export async function pageClient(
  s: Served,
  opts: { token?: string; origin?: string; cookie?: string } = {},
): Promise<PageClient> {
  const ws = new WebSocket(`ws://${s.host}${WS_PATH}?token=${opts.token ?? s.server.token}`, {
    origin: opts.origin ?? s.origin,
    maxPayload: 1024 * 1024 * 1024,
    headers: opts.cookie ? { Cookie: opts.cookie } : {},
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const events: EngineEvent[] = [];
  let next = 1;
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data));
    if ('event' in msg) return void events.push(msg.event);
    const p = pending.get(msg.id);
    pending.delete(msg.id);
    if ('error' in msg) p?.reject(new Error(msg.error));
    else p?.resolve(msg.result);
  });
  ws.on('close', () => {
    for (const p of pending.values()) p.reject(new Error('closed'));
  });
  await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
  return {
    ws,
    events,
    call: <T>(method: string, ...params: unknown[]) =>
      new Promise<T>((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

/** The server answers a page request with the token: it is still alive and serving. */
export async function stillServes(s: Served): Promise<boolean> {
  const r = await get(s.server.port, `/?token=${s.server.token}`, { Host: s.host });
  return r.status === 200 && r.body.includes('Wirelens test page');
}
