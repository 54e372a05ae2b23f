/**
 * The Electron glue's own logic, without the Electron binary: window security settings, navigation
 * and window-open decisions, IPC checks, the menu, and the built main process loaded against a
 * recording stand-in for the `electron` module (it must create secure windows, register exactly the
 * allow-listed channels, refuse IPC from other pages, deny navigation and new windows).
 */
import assert from 'node:assert/strict';
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import Module from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { ENGINE_METHODS, IPC_PREFIX } from '../../../api/engine-api';
import { captureFilesIn, menuTemplate } from '../../../electron/main/menu-template';
import { APP_CSP, checkIpcCall, checkSaveFileCall, isAllowedNavigation, SAVE_FILE_CHANNEL, secureWebPreferences, windowOpenDecision } from '../../../electron/main/window-security';
import { APP_INDEX_URL, APP_SCHEME_PRIVILEGES } from '../../../electron/main/app-protocol';
import { PAGE_METHODS } from '../../../electron/preload/page-methods';
import { ROOT } from '../../helpers/fixtures';

const INDEX = APP_INDEX_URL;

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

test('navigation only to our own page, compared as a whole URL; new windows always denied', () => {
  assert.equal(INDEX, 'app://wirelens/index.html');
  assert.equal(isAllowedNavigation(INDEX, INDEX), true);
  assert.equal(isAllowedNavigation(`${INDEX}#x`, INDEX), true);
  for (const bad of [
    'https://evil.example/',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'data:text/html,<script>1</script>',
    'not a url',
    // Same path, another scheme or host: a UNC share (file://evil-host/…), another app:// host, credentials, a port, a query.
    'file:///index.html',
    'file://evil-host/index.html',
    'app://evil-host/index.html',
    'app://user:pw@wirelens/index.html',
    'app://wirelens:8080/index.html',
    'app://wirelens/index.html?x=1',
    'app://wirelens/other.html',
    'https://wirelens/index.html',
  ])
    assert.equal(isAllowedNavigation(bad, INDEX), false, bad);
  // The old file:// page: the same path on another host was accepted.
  const fileIndex = 'file:///opt/wirelens/dist/renderer/index.html';
  assert.equal(isAllowedNavigation('file://evil-host/opt/wirelens/dist/renderer/index.html', fileIndex), false);
  assert.deepEqual(windowOpenDecision(), { action: 'deny' });
  assert.deepEqual(APP_SCHEME_PRIVILEGES, { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true });
});

test('IPC: only from our page, only allow-listed channels, only valid arguments', () => {
  assert.deepEqual(checkIpcCall(`${IPC_PREFIX}getPackets`, INDEX, INDEX, ['c1', 0, 50]), { ok: true, method: 'getPackets', params: ['c1', 0, 50] });
  assert.equal(checkIpcCall(`${IPC_PREFIX}getPackets`, 'https://evil.example/', INDEX, ['c1', 0, 50]).ok, false);
  assert.equal(checkIpcCall(`${IPC_PREFIX}eval`, INDEX, INDEX, []).ok, false);
  assert.equal(checkIpcCall('other:getPackets', INDEX, INDEX, ['c1', 0, 50]).ok, false);
  assert.equal(checkIpcCall(`${IPC_PREFIX}getPackets`, INDEX, INDEX, ['c1', -1, 1e9]).ok, false);
  assert.equal(checkIpcCall(`${IPC_PREFIX}openFile`, INDEX, INDEX, [{ path: '/etc/passwd' }]).ok, false);
  assert.equal(checkIpcCall(`${IPC_PREFIX}getPackets`, 'file://evil-host/index.html', INDEX, ['c1', 0, 50]).ok, false);
});

test('openFile is not offered to the page: the page never calls it (uploads and the main process open files)', () => {
  assert.deepEqual(
    checkIpcCall(`${IPC_PREFIX}openFile`, INDEX, INDEX, ['/etc/shadow']),
    { ok: false, error: 'IPC refused: openFile is not available to the page' },
  );
  assert.ok(!(PAGE_METHODS as readonly string[]).includes('openFile'));
  assert.deepEqual([...PAGE_METHODS, 'openFile'].sort(), [...ENGINE_METHODS].sort());
  // The renderer's sources never name it (its client maps every method, but nothing calls this one).
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : /\.tsx?$/.test(e.name) ? [join(d, e.name)] : []));
  for (const f of walk(join(ROOT, 'renderer', 'src'))) assert.doesNotMatch(readFileSync(f, 'utf8'), /\bopenFile\b/, f);
  // The preload allow-lists exactly these methods.
  assert.match(readFileSync(join(ROOT, 'electron', 'preload', 'preload.ts'), 'utf8'), /new Set<string>\(PAGE_METHODS\)/);
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
  const rec = {
    windows: [] as Array<{ opts: { webPreferences: Record<string, unknown> }; openHandler?: () => unknown; navigate?: (e: { preventDefault(): void }, url: string) => void; loaded?: string }>,
    handlers: new Map<string, (e: unknown, p: unknown) => Promise<unknown>>(),
    schemes: [] as unknown[],
    protocols: new Map<string, (r: Request) => Promise<Response>>(),
  };
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
      loadFile(): Promise<void> {
        throw new Error('the page must not be loaded from file://');
      }
      loadURL(url: string) {
        rec.windows[rec.windows.length - 1].loaded = url;
        return Promise.resolve();
      }
      static getFocusedWindow() {
        return null;
      }
    },
    dialog: { showErrorBox: () => undefined, showMessageBox: () => Promise.resolve(), showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }) },
    ipcMain: { handle: (ch: string, h: (e: unknown, p: unknown) => Promise<unknown>) => rec.handlers.set(ch, h) },
    Menu: { setApplicationMenu: () => undefined, buildFromTemplate: (t: unknown) => t },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => rec.schemes.push(...s),
      handle: (scheme: string, h: (r: Request) => Promise<Response>) => rec.protocols.set(scheme, h),
    },
    session: { defaultSession: { webRequest: { onHeadersReceived: () => undefined }, setPermissionRequestHandler: () => undefined } },
  };
  const load = (Module as unknown as { _load: (req: string, ...rest: unknown[]) => unknown })._load;
  (Module as unknown as { _load: typeof load })._load = (req: string, ...rest: unknown[]) => (req === 'electron' ? fake : load(req, ...rest));
  try {
    createRequire(import.meta.url)(main);
    assert.deepEqual([...rec.handlers.keys()].sort(), [...PAGE_METHODS.map((m) => `${IPC_PREFIX}${m}`), SAVE_FILE_CHANNEL].sort());
    assert.ok(!rec.handlers.has(`${IPC_PREFIX}openFile`), 'no openFile channel');
    assert.deepEqual(rec.schemes, [{ scheme: 'app', privileges: APP_SCHEME_PRIVILEGES }], 'app:// registered as privileged before ready');
    await assert.rejects(rec.handlers.get(SAVE_FILE_CHANNEL)!({ senderFrame: { url: 'https://evil.example/' } }, ['x.txt', 'aGk=']), /not the Wirelens page/);
    (ready as unknown as () => void)();
    for (let i = 0; i < 250 && rec.windows.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(rec.windows.length, 1, 'one window on the sample capture');
    const w = rec.windows[0];
    assert.equal(w.opts.webPreferences.contextIsolation, true);
    assert.equal(w.opts.webPreferences.sandbox, true);
    assert.equal(w.opts.webPreferences.nodeIntegration, false);
    assert.match(String(w.opts.webPreferences.preload), /dist\/electron\/preload\/preload\.cjs$/);
    assert.equal(w.loaded, 'app://wirelens/index.html');
    // The app:// handler serves the built renderer with the CSP, and nothing outside it.
    const serve = rec.protocols.get('app')!;
    const page = await serve(new Request('app://wirelens/index.html'));
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(page.headers.get('content-security-policy'), APP_CSP);
    assert.match(await page.text(), /<div id="root">/);
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(readFileSync(join(ROOT, 'dist', 'renderer', 'index.html'), 'utf8'))?.[1];
    if (script) assert.equal((await serve(new Request(`app://wirelens/${script}`))).headers.get('content-type'), 'text/javascript; charset=utf-8');
    for (const bad of ['app://wirelens/../../../../etc/passwd', 'app://wirelens/%2e%2e/%2e%2e/main/main.cjs', 'app://wirelens/..%2f..%2fmain%2fmain.cjs', 'app://evil/index.html', 'app://wirelens/assets%5c..%5c..%5cx.js'])
      assert.notEqual((await serve(new Request(bad))).status, 200, bad);
    assert.equal((await serve(new Request('app://wirelens/index.html', { method: 'POST', body: 'x' }))).status, 405);
    assert.deepEqual(w.openHandler?.(), { action: 'deny' });
    for (const [url, refused] of [['https://evil.example/', true], ['file://evil-host/index.html', true], ['app://evil/index.html', true], ['app://wirelens/index.html#top', false]] as const) {
      let prevented = false;
      w.navigate?.({ preventDefault: () => (prevented = true) }, url);
      assert.equal(prevented, refused, url);
    }
    const index = w.loaded!;
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
  assert.deepEqual(checkSaveFileCall(INDEX, INDEX, ['homework.txt', 'aGk=']), { ok: true, name: 'homework.txt', bytesBase64: 'aGk=' });
  assert.deepEqual(checkSaveFileCall(INDEX, INDEX, ['../../.bashrc', 'aGk=']), { ok: true, name: 'bashrc', bytesBase64: 'aGk=' });
  assert.deepEqual(checkSaveFileCall(INDEX, INDEX, ['C:\\Windows\\evil.dll', '']), { ok: true, name: 'evil.dll', bytesBase64: '' });
  assert.equal(checkSaveFileCall('https://evil.example/', INDEX, ['a.txt', 'aGk=']).ok, false);
  assert.equal(checkSaveFileCall(INDEX, INDEX, ['a.txt', 'not base64!']).ok, false);
  assert.equal(checkSaveFileCall(INDEX, INDEX, ['', 'aGk=']).ok, false);
  assert.equal(checkSaveFileCall(INDEX, INDEX, ['a.txt']).ok, false);
});
