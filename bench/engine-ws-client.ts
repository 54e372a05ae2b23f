/** A minimal client of a running `wirelens serve` (its WebSocket RPC), so benchmarks drive a separate engine process as the page does. */
import WebSocket from 'ws';
import { WS_PATH, type RpcResponse } from '../api/engine-api';

export interface RemoteEngine {
  call<T>(method: string, ...params: unknown[]): Promise<T>;
  close(): void;
}

export async function connectRemoteEngine(baseUrl: string): Promise<RemoteEngine> {
  const u = new URL(baseUrl);
  const ws = new WebSocket(`ws://${u.host}${WS_PATH}`, { headers: { origin: `http://${u.host}` } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 1;
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as RpcResponse | { event: unknown };
    if ('event' in msg) return;
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if ('error' in msg) p.reject(new Error(msg.error));
    else p.resolve(msg.result);
  });
  return {
    call<T>(method: string, ...params: unknown[]): Promise<T> {
      const id = next++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        ws.send(JSON.stringify({ id, method, params }));
      });
    },
    close: () => ws.close(),
  };
}
