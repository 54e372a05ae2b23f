/**
 * The engine's side of the channel: answers requests with the engine (the same allow-list and
 * argument checks as the WebSocket server), forwards engine events, and serves the host-only
 * `captureFile` lookup (Save As).
 */
import type { Engine } from '../engine/engine';
import { dispatchRpc } from '../server/rpc';
import type { HostPort } from './host-port';

export function serveEngine(engine: Engine, port: HostPort): void {
  engine.onEvent((event) => port.post({ event }));
  port.onMessage(async (raw) => {
    const r = raw as { id?: unknown; method?: unknown; params?: unknown };
    if (typeof r?.id !== 'number') return;
    if (r.method === 'captureFile') {
      const id = Array.isArray(r.params) ? r.params[0] : undefined;
      port.post({ id: r.id, result: typeof id === 'string' ? engine.captureFile(id) : null });
      return;
    }
    const res = await dispatchRpc(engine, raw);
    if (res) port.post(res);
  });
}
