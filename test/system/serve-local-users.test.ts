/**
 * Issue 21, items 2 and 13 with a real `wirelens serve` process: another local user (`nobody`, via
 * runuser) talking to the loopback server without the printed URL is refused everything — the page,
 * the engine's WebSocket, a download — and cannot read the token from the process list; an empty
 * or short --token is refused. The printed line keeps its shape (scripts open the URL from it).
 * Needs root (runuser), curl and the built renderer (`npm run build`).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RENDERER_DIST } from '../../electron/shared/paths';
import { ROOT } from '../helpers/fixtures';

const BIN = join(ROOT, 'bin', 'wirelens.mjs');
const ENV = { ...process.env, WIRELENS_FROM_SOURCE: '1' };
let serve: ChildProcess;
let url: URL;

function asNobody(args: string[]): { out: string; status: number | null } {
  const r = spawnSync('runuser', ['-u', 'nobody', '--', ...args], { encoding: 'utf8', timeout: 20_000 });
  return { out: r.stdout, status: r.status };
}

function curlStatus(target: string, headers: string[] = []): string {
  return asNobody([
    'curl',
    '-s',
    '-o',
    '/dev/null',
    '-w',
    '%{http_code}',
    '--max-time',
    '10',
    ...headers.flatMap((h) => ['-H', h]),
    target,
  ]).out;
}

before(async () => {
  assert.ok(existsSync(join(RENDERER_DIST, 'index.html')), 'run `npm run build` first');
  serve = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
    env: ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const line = await new Promise<string>((resolve, reject) => {
    serve.stdout!.on('data', (d) => {
      out += String(d);
      const m = /^Wirelens is serving .* at (http:\/\/127\.0\.0\.1:\d+\/\S*)$/m.exec(out);
      if (m) resolve(m[1]);
    });
    serve.once('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
  });
  url = new URL(line);
});

after(() => {
  serve?.kill('SIGTERM');
});

test('the printed URL carries the token (?token=, 256 bits)', () => {
  assert.match(url.search, /^\?token=[A-Za-z0-9_-]{43}$/);
});

test('nobody, without the printed URL, is refused the page, its files, the WebSocket and downloads', () => {
  const base = `http://127.0.0.1:${url.port}`;
  for (const path of ['/', '/index.html', '/download/c1', '/engine', '/%', '//'])
    assert.equal(curlStatus(`${base}${path}`), '403', path);
  const upgrade = [
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    `Origin: ${base}`,
  ];
  assert.equal(curlStatus(`${base}/engine`, upgrade), '403');
  assert.equal(curlStatus(`${base}/engine?token=${'0'.repeat(43)}`, upgrade), '403');
  // The token is not on the command line, where other users could read it.
  const cmdline = asNobody(['cat', `/proc/${serve.pid}/cmdline`]).out;
  assert.ok(cmdline.includes('serve'), 'nobody can read the command line');
  assert.ok(!cmdline.includes(url.searchParams.get('token')!));
  // The secret alone is what lets someone in.
  assert.equal(curlStatus(url.href), '200');
});

test("--token '' and a short --token, and a --dir that is not a folder, are refused with a message", () => {
  for (const token of ['', 'short-secret']) {
    const r = spawnSync(process.execPath, [BIN, 'serve', '--port', '0', '--token', token], {
      encoding: 'utf8',
      env: ENV,
      timeout: 60_000,
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--token must be at least 32 characters/);
  }
  const dir = spawnSync(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--dir', '/nonexistent-wirelens-dir'],
    { encoding: 'utf8', env: ENV, timeout: 60_000 },
  );
  assert.equal(dir.status, 2, dir.stderr);
  assert.match(dir.stderr, /--dir: '\/nonexistent-wirelens-dir' is not a folder/);
});
