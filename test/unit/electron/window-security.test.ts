/**
 * The Electron glue's own logic, without the Electron binary: window security settings, navigation
 * and window-open decisions, IPC checks, the menu, and the built main process loaded against a
 * recording stand-in for the `electron` module (it must create secure windows, register exactly the
 * allow-listed channels, refuse IPC from other pages, deny navigation and new windows).
 */
import assert from 'node:assert/strict';
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import Module from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { ENGINE_METHODS, IPC_PREFIX } from '../../../api/engine-api';
import { captureFilesIn, menuTemplate } from '../../../electron/main/menu-template';
import { APP_CSP, checkIpcCall, checkSaveFileCall, isAllowedNavigation, SAVE_FILE_CHANNEL, secureWebPreferences, windowOpenDecision } from '../../../electron/main/window-security';
import { ROOT } from '../../helpers/fixtures';

const INDEX = 'file:///opt/wirelens/dist/renderer/index.html';

test('windows are isolated, sandboxed, without Node, under the strict CSP', () => {
  const p = secureWebPreferences('/x/preload.cjs');
  assert.equal(p.contextIsolation, true);
  assert.equal(p.sandbox, true);
  assert.equal(p.nodeIntegration, false);
  assert.equal(p.webSecurity, true);
  assert.equal(p.webviewTag, false);
  assert.match(APP_CSP, /script-src 'self'/);
  assert.doesNotMatch(APP_CSP, /unsafe-inline|unsafe-eval|https?:/);
});

test('navigation only to our own page; new windows always denied', () => {
  assert.equal(isAllowedNavigation(INDEX, INDEX), true);
  assert.equal(isAllowedNavigation(`${INDEX}#x`, INDEX), true);
  for (const bad of ['https://evil.example/', 'javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,<script>1</script>', 'not a url'])
    assert.equal(isAllowedNavigation(bad, INDEX), false, bad);
  assert.deepEqual(windowOpenDecision(), { action: 'deny' });
});

test('IPC: only from our page, only allow-listed channels, only valid arguments', () => {
  assert.deepEqual(checkIpcCall(`${IPC_PREFIX}getPackets`, INDEX, INDEX, ['c1', 0, 50]), { ok: true, method: 'getPackets', params: ['c1', 0, 50] });
  assert.equal(checkIpcCall(`${IPC_PREFIX}getPackets`, 'https://evil.example/', INDEX, ['c1', 0, 50]).ok, false);
  assert.equal(checkIpcCall(`${IPC_PREFIX}eval`, INDEX, INDEX, []).ok, false);
  assert.equal(checkIpcCall('other:getPackets', INDEX, INDEX, ['c1', 0, 50]).ok, false);
  assert.equal(checkIpcCall(`${IPC_PREFIX}getPackets`, INDEX, INDEX, ['c1', -1, 1e9]).ok, false);
  assert.equal(checkIpcCall(`${IPC_PREFIX}openFile`, INDEX, INDEX, [{ path: '/etc/passwd' }]).ok, false);
});

test('the menu has File (Open, Open Recent, Save As, Close, Quit), Capture, View and Help with shortcuts', () => {
  const m = menuTemplate({ recent: ['/a.pcap'], captureAvailable: false, platform: 'linux' });
  assert.deepEqual(m.map((x) => x.label), ['File', 'Capture', 'View', 'Help']);
  const file = m[0].submenu!;
  assert.deepEqual(file.filter((x) => x.label).map((x) => x.label), ['Open…', 'Open Recent', 'Save As… (pcapng)', 'Close', 'Quit']);
  assert.equal(file[0].accelerator, 'Ctrl+O');
  assert.equal(menuTemplate({ recent: [], captureAvailable: true, platform: 'darwin' })[0].submenu![0].accelerator, 'Cmd+O');
  assert.deepEqual(file[1].submenu!.map((x) => x.command), ['open-recent:/a.pcap']);
  assert.deepEqual(captureFilesIn(['--flag', 'a.pcap', 'b.PCAPNG', 'c.pcap.gz', 'notes.txt']), ['a.pcap', 'b.PCAPNG', 'c.pcap.gz']);
});

test('the built main process creates secure windows and guards IPC (against a stand-in electron module)', async () => {
  const main = join(ROOT, 'dist', 'electron', 'main', 'main.cjs');
  // Always rebuild, so the test never looks at a stale bundle.
  assert.equal(spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-electron.mjs')], { stdio: 'inherit' }).status, 0);
  assert.ok(existsSync(main));
  const rec = { windows: [] as Array<{ opts: { webPreferences: Record<string, unknown> }; openHandler?: () => unknown; navigate?: (e: { preventDefault(): void }, url: string) => void; loaded?: string }>, handlers: new Map<string, (e: unknown, p: unknown) => Promise<unknown>>() };
  let ready: (() => void) | null = null;
  const userData = mkdtempSync(join(tmpdir(), 'wirelens-userdata-'));
  // utilityProcess.fork → a Node child process with the same message API: the engine really runs
  // in another process, reached through the built main's RemoteEngine.
  const engineChildren: ChildProcess[] = [];
  const forked: string[] = [];
  const fake = {
    utilityProcess: {
      fork: (modulePath: string) => {
        forked.push(modulePath);
        // Two analysis worker threads forced: the engine starts them from its bundle's analysis-worker.cjs.
        const c = fork(modulePath, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, WIRELENS_WORKERS: '2' } });
        engineChildren.push(c);
        return {
          postMessage: (m: unknown) => c.connected && c.send(m as object, () => undefined),
          on: (ev: string, l: (...a: unknown[]) => void) => c.on(ev, l),
          kill: () => c.kill(),
        };
      },
    },
    app: {
      requestSingleInstanceLock: () => true,
      on: () => undefined,
      quit: () => undefined,
      isReady: () => true,
      whenReady: () => new Promise<void>((r) => (ready = r)),
      getPath: (name: string) => (name === 'userData' ? userData : tmpdir()),
    },
    BrowserWindow: class {
      webContents: Record<string, unknown>;
      constructor(opts: { webPreferences: Record<string, unknown> }) {
        const w: (typeof rec.windows)[number] = { opts };
        rec.windows.push(w);
        this.webContents = {
          id: rec.windows.length,
          setWindowOpenHandler: (h: () => unknown) => (w.openHandler = h),
          on: (ev: string, h: (e: { preventDefault(): void }, url: string) => void) => ev === 'will-navigate' && (w.navigate = h),
          send: () => undefined,
        };
      }
      on() {}
      isDestroyed() {
        return false;
      }
      loadFile(f: string) {
        rec.windows[rec.windows.length - 1].loaded = f;
        return Promise.resolve();
      }
      static getFocusedWindow() {
        return null;
      }
    },
    dialog: { showErrorBox: () => undefined, showMessageBox: () => Promise.resolve(), showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }) },
    ipcMain: { handle: (ch: string, h: (e: unknown, p: unknown) => Promise<unknown>) => rec.handlers.set(ch, h) },
    Menu: { setApplicationMenu: () => undefined, buildFromTemplate: (t: unknown) => t },
    session: { defaultSession: { webRequest: { onHeadersReceived: () => undefined }, setPermissionRequestHandler: () => undefined } },
  };
  const load = (Module as unknown as { _load: (req: string, ...rest: unknown[]) => unknown })._load;
  (Module as unknown as { _load: typeof load })._load = (req: string, ...rest: unknown[]) => (req === 'electron' ? fake : load(req, ...rest));
  try {
    createRequire(import.meta.url)(main);
    assert.deepEqual([...rec.handlers.keys()].sort(), [...ENGINE_METHODS.map((m) => `${IPC_PREFIX}${m}`), SAVE_FILE_CHANNEL].sort());
    await assert.rejects(rec.handlers.get(SAVE_FILE_CHANNEL)!({ senderFrame: { url: 'https://evil.example/' } }, ['x.txt', 'aGk=']), /not the Wirelens page/);
    (ready as unknown as () => void)();
    for (let i = 0; i < 250 && rec.windows.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(rec.windows.length, 1, 'one window on the sample capture');
    const w = rec.windows[0];
    assert.equal(w.opts.webPreferences.contextIsolation, true);
    assert.equal(w.opts.webPreferences.sandbox, true);
    assert.equal(w.opts.webPreferences.nodeIntegration, false);
    assert.match(String(w.opts.webPreferences.preload), /dist\/electron\/preload\/preload\.cjs$/);
    assert.match(w.loaded ?? '', /dist\/renderer\/index\.html$/);
    assert.deepEqual(w.openHandler?.(), { action: 'deny' });
    let prevented = false;
    w.navigate?.({ preventDefault: () => (prevented = true) }, 'https://evil.example/');
    assert.equal(prevented, true);
    const index = `file://${w.loaded}`;
    await assert.rejects(rec.handlers.get(`${IPC_PREFIX}listCaptures`)!({ senderFrame: { url: 'https://evil.example/' } }, []), /not the Wirelens page/);
    const listCaptures = () => rec.handlers.get(`${IPC_PREFIX}listCaptures`)!({ senderFrame: { url: index } }, []) as Promise<unknown[]>;
    let list = await listCaptures();
    for (let i = 0; i < 250 && list.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      list = await listCaptures();
    }
    assert.equal(list.length, 1, 'the sample capture is open');
    const id = (list[0] as { id: string }).id;
    const getStatus = () => rec.handlers.get(`${IPC_PREFIX}getStatus`)!({ senderFrame: { url: index } }, [id]) as Promise<{ state: string; packets: number; connections: number; error: string | null }>;
    let status = await getStatus();
    for (let i = 0; i < 250 && status.state === 'loading'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      status = await getStatus();
    }
    assert.deepEqual([status.state, status.error, status.connections > 0], ['ready', null, true], 'analysed by the bundled worker threads');
    // Open Recent is remembered in the app's data folder.
    const recentFile = join(userData, 'recent-files.json');
    for (let i = 0; i < 100 && !existsSync(recentFile); i++) await new Promise((r) => setTimeout(r, 20));
    const recent = JSON.parse(readFileSync(recentFile, 'utf8')) as string[];
    assert.match(recent[0], /fixtures\/lessons\/smtp-pop3-lesson\.pcap$/);
    assert.equal(forked.length, 1);
    assert.match(forked[0], /dist\/electron\/engine-host\/engine-process\.cjs$/);
    assert.notEqual(engineChildren[0].pid, process.pid, 'the engine answered from its own process');
  } finally {
    (Module as unknown as { _load: typeof load })._load = load;
    for (const c of engineChildren) c.kill();
  }
});

test('Save… from the page: only the Wirelens page, a bare file name, base64 bytes', () => {
  const INDEX = 'file:///opt/wirelens/dist/renderer/index.html';
  assert.deepEqual(checkSaveFileCall(INDEX, INDEX, ['homework.txt', 'aGk=']), { ok: true, name: 'homework.txt', bytesBase64: 'aGk=' });
  assert.deepEqual(checkSaveFileCall(INDEX, INDEX, ['../../.bashrc', 'aGk=']), { ok: true, name: 'bashrc', bytesBase64: 'aGk=' });
  assert.deepEqual(checkSaveFileCall(INDEX, INDEX, ['C:\\Windows\\evil.dll', '']), { ok: true, name: 'evil.dll', bytesBase64: '' });
  assert.equal(checkSaveFileCall('https://evil.example/', INDEX, ['a.txt', 'aGk=']).ok, false);
  assert.equal(checkSaveFileCall(INDEX, INDEX, ['a.txt', 'not base64!']).ok, false);
  assert.equal(checkSaveFileCall(INDEX, INDEX, ['', 'aGk=']).ok, false);
  assert.equal(checkSaveFileCall(INDEX, INDEX, ['a.txt']).ok, false);
});
