/**
 * Electron main process: one window per capture, the application menu, single instance (new files
 * open in new windows), and the IPC bridge to the engine. The glue only: security decisions live in
 * window-security.ts, the menu in menu-template.ts, both tested without Electron.
 * The engine runs in this process for now (a utilityProcess is the planned next step).
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, session, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ENGINE_METHODS, IPC_PREFIX, type EngineEvent } from '../../api/engine-api';
import { Engine } from '../engine/engine';
import { SAMPLE_CAPTURE } from '../shared/paths';
import { captureFilesIn, menuTemplate, type MenuCommand, type MenuItemSpec } from './menu-template';
import { checkIpcCall, isAllowedNavigation, secureWebPreferences, securityResponseHeaders, windowOpenDecision } from './window-security';

const INDEX = join(__dirname, '..', '..', 'renderer', 'index.html');
const INDEX_URL = pathToFileURL(INDEX).href;
const PRELOAD = join(__dirname, '..', 'preload', 'preload.cjs');
const engine = new Engine({});
const recent: string[] = [];

function createWindow(file: string | null): void {
  const win = new BrowserWindow({ width: 1400, height: 950, title: 'Wirelens', webPreferences: secureWebPreferences(PRELOAD) });
  win.webContents.setWindowOpenHandler(windowOpenDecision);
  win.webContents.on('will-navigate', (e, url) => {
    if (!isAllowedNavigation(url, INDEX_URL)) e.preventDefault();
  });
  const off = engine.onEvent((event: EngineEvent) => {
    if (!win.isDestroyed()) win.webContents.send(`${IPC_PREFIX}event`, event);
  });
  win.on('closed', off);
  void win.loadFile(INDEX);
  if (file) void openFile(file);
}

async function openFile(file: string): Promise<void> {
  try {
    await engine.openFile(file);
    if (!recent.includes(file)) recent.unshift(file);
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
  else if (cmd === 'about') void dialog.showMessageBox({ message: 'Wirelens', detail: 'Study network protocols: handshakes, ladders and where TLS begins.' });
  else if (cmd === 'shortcuts') void dialog.showMessageBox({ message: 'Keyboard shortcuts', detail: 'Ctrl/Cmd+O open · Ctrl/Cmd+W close · Enter in the filter bar applies the display filter' });
  else void dialog.showMessageBox({ message: 'Not available in this version yet', detail: 'Save As and live capture in the window arrive in a later version; `wirelens capture` records from the command line.' });
}

function buildMenu(): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(toElectron(menuTemplate({ recent, captureAvailable: false, platform: process.platform }))));
}

for (const method of ENGINE_METHODS) {
  ipcMain.handle(`${IPC_PREFIX}${method}`, async (event, params: unknown) => {
    const check = checkIpcCall(`${IPC_PREFIX}${method}`, event.senderFrame?.url ?? '', INDEX_URL, params);
    if (!check.ok) throw new Error(check.error);
    const fn = engine[check.method] as (...a: unknown[]) => Promise<unknown>;
    return fn.apply(engine, check.params);
  });
}

if (!app.requestSingleInstanceLock()) app.quit();
else {
  app.on('second-instance', (_e, argv) => {
    for (const f of captureFilesIn(argv.slice(1))) createWindow(f);
  });
  app.on('open-file', (e, path) => {
    e.preventDefault();
    if (app.isReady()) createWindow(path);
  });
  app.whenReady().then(() => {
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
