/**
 * The engine methods the desktop app's page may call over IPC: every EngineApi method but
 * `openFile`. The page never opens a path itself (files come from the File menu, Open Recent, the
 * command line or the OS, all handled in the main process, and from drops, which are uploads), so
 * a page that went wrong cannot make the engine read an arbitrary file. Used by the preload's
 * allow-list and the main process's IPC handlers; no imports but the API's names.
 */
import { ENGINE_METHODS, type EngineMethod } from '../../api/engine-api';

export type PageMethod = Exclude<EngineMethod, 'openFile'>;

export const PAGE_METHODS: readonly PageMethod[] = ENGINE_METHODS.filter(
  (m): m is PageMethod => m !== 'openFile',
);

export function isPageMethod(method: string): method is PageMethod {
  return (PAGE_METHODS as readonly string[]).includes(method);
}
