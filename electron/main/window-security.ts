/**
 * Security settings of every Wirelens window and the checks on what it may do (Electron's security
 * checklist): isolated, sandboxed, no Node in the page, the same strict CSP as browser mode,
 * navigation and new windows denied, IPC accepted only from our own page on allow-listed channels
 * with validated arguments. Pure functions (no `electron` import) so they are tested without it.
 */
import { ENGINE_METHODS, IPC_PREFIX, type EngineMethod } from '../../api/engine-api';
import { BROWSER_CSP } from '../server/static-files';
import { validateParams } from '../shared/validate-params';

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

/** The page may only ever be our own index.html: any other navigation is denied. */
export function isAllowedNavigation(target: string, appIndexUrl: string): boolean {
  try {
    const t = new URL(target);
    const a = new URL(appIndexUrl);
    return t.protocol === 'file:' && t.pathname === a.pathname;
  } catch {
    return false;
  }
}

/** window.open / target=_blank: always denied (links in payloads are text, never opened). */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}

export type IpcCheck = { ok: true; method: EngineMethod; params: unknown[] } | { ok: false; error: string };

/** Checks one `wirelens:` invoke: sender is our page, channel is allow-listed, arguments are valid. */
export function checkIpcCall(channel: string, senderUrl: string, appIndexUrl: string, args: unknown): IpcCheck {
  if (!isAllowedNavigation(senderUrl, appIndexUrl)) return { ok: false, error: 'IPC refused: the sender is not the Wirelens page' };
  if (!channel.startsWith(IPC_PREFIX)) return { ok: false, error: `IPC refused: channel ${channel}` };
  const method = channel.slice(IPC_PREFIX.length);
  if (!(ENGINE_METHODS as readonly string[]).includes(method)) return { ok: false, error: `IPC refused: unknown method ${method}` };
  const checked = validateParams(method as EngineMethod, args);
  if (!checked.ok) return { ok: false, error: checked.error };
  return { ok: true, method: method as EngineMethod, params: checked.params };
}

/** Response headers for every page load (the CSP also sits in index.html). */
export function securityResponseHeaders(): Record<string, string[]> {
  return { 'Content-Security-Policy': [APP_CSP], 'X-Content-Type-Options': ['nosniff'] };
}
