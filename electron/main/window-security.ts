/**
 * Security settings of every Wirelens window and the checks on what it may do (Electron's security
 * checklist): isolated, sandboxed, no Node in the page, the same strict CSP as browser mode,
 * navigation and new windows denied, IPC accepted only from our own page on allow-listed channels
 * with validated arguments. Pure functions (no `electron` import) so they are tested without it.
 */
import { IPC_PREFIX, type EngineMethod } from '../../api/engine-api';
import { isPageMethod } from '../preload/page-methods';
import { BROWSER_CSP } from '../server/static-files';
import { validateParams } from '../shared/validate-params';
import { sanitizeSaveName } from './save-name';

export const APP_CSP = BROWSER_CSP;

export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  navigateOnDragDrop: false;
  spellcheck: false;
}

export function secureWebPreferences(preload: string): SecureWebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/**
 * The page may only ever be our own index.html: the whole URL — scheme, credentials, host, port,
 * path and query — must be the app's (only the #fragment may differ). Any other navigation is
 * denied, and IPC from any other URL refused (a `file://other-host/…` with the same path is a
 * network share on Windows).
 */
export function isAllowedNavigation(target: string, appIndexUrl: string): boolean {
  try {
    const t = new URL(target);
    const a = new URL(appIndexUrl);
    return (
      t.protocol === a.protocol &&
      t.username === a.username &&
      t.password === a.password &&
      t.host === a.host &&
      t.pathname === a.pathname &&
      t.search === a.search
    );
  } catch {
    return false;
  }
}

/** window.open / target=_blank: always denied (links in payloads are text, never opened). */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}

export type IpcCheck = { ok: true; method: EngineMethod; params: unknown[] } | { ok: false; error: string };

/** Checks one `wirelens:` invoke: sender is our page, channel is allow-listed (not openFile: see page-methods.ts), arguments are valid. */
export function checkIpcCall(channel: string, senderUrl: string, appIndexUrl: string, args: unknown): IpcCheck {
  if (!isAllowedNavigation(senderUrl, appIndexUrl)) return { ok: false, error: 'IPC refused: the sender is not the Wirelens page' };
  if (!channel.startsWith(IPC_PREFIX)) return { ok: false, error: `IPC refused: channel ${channel}` };
  const method = channel.slice(IPC_PREFIX.length);
  if (!isPageMethod(method)) return { ok: false, error: `IPC refused: ${method} is not available to the page` };
  const checked = validateParams(method as EngineMethod, args);
  if (!checked.ok) return { ok: false, error: checked.error };
  return { ok: true, method: method as EngineMethod, params: checked.params };
}

/** The page's "Save…" (attachments, transfers, exports): a file name proposal and base64 bytes, from the Wirelens page only. */
export const SAVE_FILE_CHANNEL = `${IPC_PREFIX}saveFile`;
export const MAX_SAVE_BYTES_BASE64 = 800 * 1024 * 1024;

export function checkSaveFileCall(senderUrl: string, appIndexUrl: string, args: unknown): { ok: true; name: string; bytesBase64: string } | { ok: false; error: string } {
  if (!isAllowedNavigation(senderUrl, appIndexUrl)) return { ok: false, error: 'IPC refused: the sender is not the Wirelens page' };
  if (!Array.isArray(args) || args.length !== 2) return { ok: false, error: 'saveFile: expected (name, bytesBase64)' };
  const [name, b64] = args as unknown[];
  if (typeof name !== 'string' || name.length === 0 || name.length > 255) return { ok: false, error: 'saveFile: the name must be 1..255 characters' };
  if (typeof b64 !== 'string' || b64.length > MAX_SAVE_BYTES_BASE64 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return { ok: false, error: 'saveFile: bytes must be base64' };
  // Only a bare, safe file name is proposed: the user picks the folder in the dialog.
  return { ok: true, name: sanitizeSaveName(name), bytesBase64: b64 };
}

/** Response headers for every page load (the CSP also sits in index.html). */
export function securityResponseHeaders(): Record<string, string[]> {
  return { 'Content-Security-Policy': [APP_CSP], 'X-Content-Type-Options': ['nosniff'] };
}
