/**
 * The preload: the only bridge between the sandboxed page and the main process. It exposes
 * `window.wirelens` (PreloadBridge) with an allow-list of `wirelens:` channels — the engine methods
 * the page uses (page-methods.ts: not openFile) — nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_PREFIX, type EngineEvent, type EngineMethod, type PreloadBridge } from '../../api/engine-api';
import { PAGE_METHODS } from './page-methods';

const ALLOWED = new Set<string>(PAGE_METHODS);

const bridge: PreloadBridge = {
  invoke(method: EngineMethod, params: unknown[]) {
    if (!ALLOWED.has(method)) return Promise.reject(new Error(`unknown method ${String(method)}`));
    return ipcRenderer.invoke(`${IPC_PREFIX}${method}`, params);
  },
  onEvent(listener: (event: EngineEvent) => void) {
    const handler = (_e: unknown, event: EngineEvent) => listener(event);
    ipcRenderer.on(`${IPC_PREFIX}event`, handler);
    return () => void ipcRenderer.removeListener(`${IPC_PREFIX}event`, handler);
  },
  // Files are opened from the File menu (native dialog in the main process) or dropped on the window.
  showOpenDialog: () => Promise.resolve(null),
  saveFile: (name: string, bytesBase64: string) => ipcRenderer.invoke(`${IPC_PREFIX}saveFile`, [name, bytesBase64]) as Promise<boolean>,
};

contextBridge.exposeInMainWorld('wirelens', bridge);
