/**
 * The EngineApi over the browser-mode WebSocket (same origin). The server checks its access token
 * on the upgrade: taken from the page URL (?token=) when there, else the cookie the server set
 * when the page was first opened (sent by the browser with the same-origin upgrade).
 */
import {
  ENGINE_METHODS,
  WS_PATH,
  WS_MAX_MESSAGE_BYTES,
  type EngineApi,
  type EngineEvent,
  type EngineMethod,
  type RpcEventMessage,
  type RpcResponse,
} from '../../../api/engine-api';

export function connectWebSocket(location: Location): Promise<EngineApi> {
  const token = new URLSearchParams(location.search).get('token');
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const base = `${scheme}//${location.host}${WS_PATH}`;
  const ws = new WebSocket(token ? `${base}?token=${encodeURIComponent(token)}` : base);
  // Big answers come as binary frames of UTF-8 JSON (faster for Chromium to receive than text).
  ws.binaryType = 'arraybuffer';
  const utf8 = new TextDecoder();
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Set<(e: EngineEvent) => void>();
  let nextId = 1;
  ws.addEventListener('message', (m) => {
    let msg: RpcResponse | RpcEventMessage;
    try {
      msg = JSON.parse(typeof m.data === 'string' ? m.data : utf8.decode(m.data as ArrayBuffer));
    } catch {
      return;
    }
    if ('event' in msg) {
      for (const l of listeners) l(msg.event);
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if ('error' in msg) p.reject(new Error(msg.error));
    else p.resolve(msg.result);
  });
  ws.addEventListener('close', () => {
    for (const p of pending.values()) p.reject(new Error('the connection to the Wirelens engine closed'));
    pending.clear();
  });
  const call = (method: EngineMethod, params: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      const text = JSON.stringify({ id, method, params });
      // The server would close the connection on a bigger message: refuse the call here instead.
      if (text.length > WS_MAX_MESSAGE_BYTES) {
        reject(
          new Error(
            `this is more than browser mode takes in one go (a capture of 128 MiB at most): open the file with \`wirelens serve FILE\` instead`,
          ),
        );
        return;
      }
      pending.set(id, { resolve, reject });
      ws.send(text);
    });
  const api = {
    onEvent: (l: (e: EngineEvent) => void) => (listeners.add(l), () => void listeners.delete(l)),
  } as Partial<EngineApi>;
  for (const m of ENGINE_METHODS)
    (api as Record<string, unknown>)[m] = (...params: unknown[]) => call(m, params);
  return new Promise((resolve, reject) => {
    ws.addEventListener('open', () => resolve(api as EngineApi), { once: true });
    ws.addEventListener(
      'error',
      () =>
        reject(
          new Error(
            `cannot reach the Wirelens engine at ${base}: open the whole URL printed by wirelens serve`,
          ),
        ),
      { once: true },
    );
  });
}
