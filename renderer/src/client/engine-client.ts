/**
 * The renderer's one way to the engine: IPC through the Electron preload (window.wirelens) when it
 * exists, else the browser-mode WebSocket. Both give the same typed EngineApi.
 */
import { ENGINE_METHODS, type EngineApi, type PreloadBridge } from '../../../api/engine-api';
import { connectWebSocket } from './ws-transport';

export async function connectEngine(): Promise<EngineApi> {
  const bridge = (window as unknown as { wirelens?: PreloadBridge }).wirelens;
  if (bridge) {
    const api = { onEvent: bridge.onEvent } as Partial<EngineApi>;
    for (const m of ENGINE_METHODS) (api as Record<string, unknown>)[m] = (...params: unknown[]) => bridge.invoke(m, params);
    // The desktop engine takes a dropped file whole (no message limit there): no chunked upload.
    for (const m of ['beginUpload', 'uploadChunk', 'endUpload', 'abortUpload'] as const) delete api[m];
    return api as EngineApi;
  }
  return connectWebSocket(window.location);
}
