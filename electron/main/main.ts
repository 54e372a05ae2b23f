/**
 * Electron main process: one window per capture, the application menu, single instance (new files
 * open in new windows), and the IPC bridge to the engine. The glue only: security decisions live in
 * window-security.ts, the menu in menu-template.ts, the app:// scheme in app-protocol.ts, all tested
 * without Electron. The page is served from app://wirelens/ (never file://).
 * The engine runs in its own utilityProcess (electron/engine-host), reached through RemoteEngine.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, utilityProcess, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import { IPC_PREFIX, type EngineEvent } from '../../api/engine-api';
import { PAGE_METHODS } from '../preload/page-methods';
import { APP_INDEX_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, serveAppRequest } from './app-protocol';
import { remoteEngine, type RemoteEngine } from '../engine-host/remote-engine';
import { SAMPLE_CAPTURE } from '../shared/paths';
import { loadRecent, rememberRecent, saveRecent } from './recent-files';
import { saveBytesAtomically, saveCopyAtomically, suggestedSaveName } from './save-copy';
import { captureFilesIn, menuTemplate, type MenuCommand, type MenuItemSpec } from './menu-template';
import { checkIpcCall, checkSaveFileCall, isAllowedNavigation, SAVE_FILE_CHANNEL, secureWebPreferences, securityResponseHeaders, windowOpenDecision } from './window-security';

/** The built renderer, served as app://wirelens/… */
const RENDERER_ROOT = join(__dirname, '..', '..', 'renderer');
const INDEX_URL = APP_INDEX_URL;
const PRELOAD = join(__dirname, '..', 'preload', 'preload.cjs');
const ENGINE_ENTRY = join(__dirname, '..', 'engine-host', 'engine-process.cjs');
/** The engine runs in its own utility process (started when the app is ready). */
let engine: RemoteEngine;

function startEngine(): RemoteEngine {
  const proc = utilityProcess.fork(ENGINE_ENTRY, [], { serviceName: 'Wirelens engine' });
  const remote = remoteEngine({ post: (m) => proc.postMessage(m), onMessage: (l) => proc.on('message', l) });
  proc.on('exit', (code: number) => {
    remote.failAll(`The Wirelens engine stopped (exit code ${code}). Open the capture again; a live capture's file is kept in the temporary folder.`);
    if (!quitting) dialog.showErrorBox('The Wirelens engine stopped', `Exit code ${code}. Open the capture again (File → Open Recent).`);
  });
  app.on('before-quit', () => {
    quitting = true;
    proc.kill();
  });
  return remote;
}
let quitting = false;
let recent: string[] = [];
const recentFile = () => join(app.getPath('userData'), 'recent-files.json');
/** The capture each window shows (by webContents id), for Save As and Capture → Stop. */
const windowCapture = new Map<number, string>();

function createWindow(file: string | null): void {
  const win = new BrowserWindow({ width: 1400, height: 950, title: 'Wirelens', webPreferences: secureWebPreferences(PRELOAD) });
  win.webContents.setWindowOpenHandler(windowOpenDecision);
  win.webContents.on('will-navigate', (e, url) => {
    if (!isAllowedNavigation(url, INDEX_URL)) e.preventDefault();
  });
  const off = engine.onEvent((event: EngineEvent) => {
    if (!win.isDestroyed()) win.webContents.send(`${IPC_PREFIX}event`, event);
  });
  const contentsId = win.webContents.id;
  win.on('closed', () => {
    off();
    windowCapture.delete(contentsId);
  });
  void win.loadURL(INDEX_URL);
  if (file) void openFile(file, contentsId);
}

async function openFile(file: string, contentsId: number): Promise<void> {
  try {
    const info = await engine.openFile(file);
    windowCapture.set(contentsId, info.id);
    recent = rememberRecent(recent, file);
    void saveRecent(recentFile(), recent).catch(() => undefined);
    buildMenu();
  } catch (e) {
    dialog.showErrorBox('Wirelens cannot open this file', `${file}\n\n${(e as Error).message}`);
  }
}

function toElectron(items: MenuItemSpec[]): MenuItemConstructorOptions[] {
  return items.map((i) => ({
    label: i.label,
    accelerator: i.accelerator?.replace(/^Ctrl\+/, 'CmdOrCtrl+').replace(/^Cmd\+/, 'CmdOrCtrl+'),
    role: i.role,
    type: i.type,
    enabled: i.enabled,
    submenu: i.submenu ? toElectron(i.submenu) : undefined,
    click: i.command ? () => void runCommand(i.command as MenuCommand) : undefined,
  }));
}

async function runCommand(cmd: MenuCommand): Promise<void> {
  if (cmd === 'open') {
    const r = await dialog.showOpenDialog({ properties: ['openFile'], filters: [{ name: 'Captures', extensions: ['pcap', 'pcapng', 'cap', 'gz'] }] });
    if (!r.canceled && r.filePaths[0]) createWindow(r.filePaths[0]);
  } else if (cmd.startsWith('open-recent:')) createWindow(cmd.slice('open-recent:'.length));
  else if (cmd === 'close') BrowserWindow.getFocusedWindow()?.close();
  else if (cmd === 'save-as') await saveAs();
  else if (cmd === 'capture-start') {
    const event: EngineEvent = { type: 'menu', command: 'capture-start' };
    BrowserWindow.getFocusedWindow()?.webContents.send(`${IPC_PREFIX}event`, event);
  } else if (cmd === 'capture-stop') {
    const id = focusedCapture();
    if (id) await engine.stopCapture(id).catch((e: Error) => dialog.showErrorBox('Stopping the capture failed', e.message));
  }
  else if (cmd === 'about') void dialog.showMessageBox({ message: 'Wirelens', detail: 'Study network protocols: handshakes, ladders and where TLS begins.' });
  else if (cmd === 'shortcuts') void dialog.showMessageBox({ message: 'Keyboard shortcuts', detail: 'Ctrl/Cmd+O open · Ctrl/Cmd+W close · Enter in the filter bar applies the display filter' });

}

function focusedCapture(): string | null {
  const win = BrowserWindow.getFocusedWindow();
  return win ? (windowCapture.get(win.webContents.id) ?? null) : null;
}

async function saveAs(): Promise<void> {
  const win = BrowserWindow.getFocusedWindow();
  const id = focusedCapture();
  const file = id ? await engine.captureFile(id) : null;
  if (!win || !file) {
    void dialog.showMessageBox({ message: 'Nothing to save', detail: 'Open a capture or start one first.' });
    return;
  }
  // The dialog itself asks before replacing an existing file.
  const r = await dialog.showSaveDialog(win, { defaultPath: suggestedSaveName(file.name, file.path), filters: [{ name: 'Captures', extensions: ['pcapng', 'pcap', 'cap'] }] });
  if (r.canceled || !r.filePath) return;
  try {
    await saveCopyAtomically(file.path, r.filePath);
  } catch (e) {
    dialog.showErrorBox('Saving failed', `${r.filePath}\n\n${(e as Error).message}\n\nNothing was written under that name; choose another folder or free some space.`);
  }
}

function buildMenu(): void {
  // Capture is offered always: if it cannot start, the capture process says why and what to do.
  Menu.setApplicationMenu(Menu.buildFromTemplate(toElectron(menuTemplate({ recent, captureAvailable: true, platform: process.platform }))));
}

ipcMain.handle(SAVE_FILE_CHANNEL, async (event, params: unknown) => {
  const check = checkSaveFileCall(event.senderFrame?.url ?? '', INDEX_URL, params);
  if (!check.ok) throw new Error(check.error);
  const win = BrowserWindow.fromWebContents(event.sender);
  const r = win ? await dialog.showSaveDialog(win, { defaultPath: check.name }) : await dialog.showSaveDialog({ defaultPath: check.name });
  if (r.canceled || !r.filePath) return false;
  await saveBytesAtomically(r.filePath, Buffer.from(check.bytesBase64, 'base64'));
  return true;
});

// Only the methods the page uses (not openFile: the main process opens files itself).
for (const method of PAGE_METHODS) {
  ipcMain.handle(`${IPC_PREFIX}${method}`, async (event, params: unknown) => {
    const check = checkIpcCall(`${IPC_PREFIX}${method}`, event.senderFrame?.url ?? '', INDEX_URL, params);
    if (!check.ok) throw new Error(check.error);
    const fn = engine[check.method] as (...a: unknown[]) => Promise<unknown>;
    const result = await fn.apply(engine, check.params);
    if (check.method === 'openFile' || check.method === 'openUpload' || check.method === 'startCapture') windowCapture.set(event.sender.id, (result as { id: string }).id);
    return result;
  });
}

// Before the app is ready: app:// is an origin of its own (standard), a secure context, fetch and module scripts allowed.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

if (!app.requestSingleInstanceLock()) app.quit();
else {
  app.on('second-instance', (_e, argv) => {
    for (const f of captureFilesIn(argv.slice(1))) createWindow(f);
  });
  app.on('open-file', (e, path) => {
    e.preventDefault();
    if (app.isReady()) createWindow(path);
  });
  app.whenReady().then(async () => {
    engine = startEngine();
    recent = await loadRecent(recentFile());
    const headers = Object.fromEntries(Object.entries(securityResponseHeaders()).map(([k, v]) => [k, v.join(', ')]));
    protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, RENDERER_ROOT, headers));
    session.defaultSession.webRequest.onHeadersReceived((details, cb) => cb({ responseHeaders: { ...details.responseHeaders, ...securityResponseHeaders() } }));
    session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
    buildMenu();
    const files = captureFilesIn(process.argv.slice(1));
    if (files.length) for (const f of files) createWindow(f);
    else createWindow(SAMPLE_CAPTURE);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
