/**
 * The main process's view of an engine in another process: every EngineApi method becomes a
 * request on the channel, answered asynchronously; events come back as messages. If the engine's
 * process ends, pending calls fail with a message saying so.
 */
import { ENGINE_METHODS, type EngineApi, type EngineEvent } from '../../api/engine-api';
import type { HostPort } from './host-port';

export type RemoteEngine = EngineApi & {
  captureFile(id: string): Promise<{ path: string; name: string } | null>;
  /** Call when the engine's process has exited. */
  failAll(reason: string): void;
};

export function remoteEngine(port: HostPort): RemoteEngine {
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Set<(e: EngineEvent) => void>();
  let next = 1;
  let dead: string | null = null;
  port.onMessage((raw) => {
    const m = raw as { id?: number; result?: unknown; error?: string; event?: EngineEvent };
    if (m && 'event' in m && m.event) {
      for (const l of listeners) l(m.event);
      return;
    }
    if (typeof m?.id !== 'number') return;
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (typeof m.error === 'string') p.reject(new Error(m.error));
    else p.resolve(m.result);
  });
  const call = (method: string, params: unknown[]): Promise<unknown> => {
    if (dead) return Promise.reject(new Error(dead));
    const id = next++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      port.post({ id, method, params });
    });
  };
  const api: Record<string, unknown> = {
    onEvent(listener: (e: EngineEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    captureFile: (id: string) => call('captureFile', [id]),
    failAll(reason: string) {
      dead = reason;
      for (const p of pending.values()) p.reject(new Error(reason));
      pending.clear();
    },
  };
  for (const m of ENGINE_METHODS) api[m] = (...params: unknown[]) => call(m, params);
  return api as unknown as RemoteEngine;
}
