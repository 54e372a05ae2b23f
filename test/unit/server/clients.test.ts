/**
 * Issue 21, items 1 (the page reads files), 14 (token holders share one engine) and the uploads of
 * 15: each page has its own filter and sort; an upload is seen only by the page that made it
 * (unless --share), lives under Wirelens's private temporary directory; pages open server-side
 * paths only where the server's starter allowed; a file that is not a capture is never downloadable.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { CaptureInfo, EngineEvent, FilterResult, LoadStatus, PacketRow } from '../../../api/engine-api';
import { SAMPLE_CAPTURE } from '../../../electron/shared/paths';
import { privateTempRoot } from '../../../electron/shared/private-temp';
import { FIXTURES } from '../../helpers/fixtures';
import { get, pageClient, serveSample, type PageClient, type Served } from './attack-client';

const FTP = join(
  FIXTURES,
  'corpus',
  'suricata-verify',
  'tests',
  'filestore-ftp-passive-mode',
  'ftp-passive-mode.pcap',
);
const allowedDir = mkdtempSync(join(tmpdir(), 'wirelens-dir-test-'));
writeFileSync(join(allowedDir, 'lesson.pcap'), readFileSync(FTP));
writeFileSync(join(allowedDir, 'notes.txt'), 'secret notes, not a capture\n');
symlinkSync('/etc/passwd', join(allowedDir, 'link-out.pcap'));

let s: Served;
let a: PageClient;
let b: PageClient;
before(async () => {
  s = await serveSample({ openableFiles: [SAMPLE_CAPTURE], openableDirs: [allowedDir] });
  a = await pageClient(s);
  b = await pageClient(s);
});
after(async () => {
  a.close();
  b.close();
  await s.close();
});

async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await f();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out');
}

async function download(id: string) {
  return get(s.server.port, `/download/${id}?token=${s.server.token}`, { Host: s.host });
}

test("one page's display filter and sort do not change another page's packet list", async () => {
  const filter = await a.call<FilterResult>(
    'setFilter',
    'c1',
    'pop.request.command == "PASS" || smtp.req.command == "MAIL"',
  );
  assert.deepEqual(filter, { ok: true, error: null, displayed: 2 });
  assert.equal((await a.call<PacketRow[]>('getPackets', 'c1', 0, 100)).length, 2);
  assert.equal((await b.call<PacketRow[]>('getPackets', 'c1', 0, 100)).length, 72);
  assert.equal((await b.call<LoadStatus>('getStatus', 'c1')).displayed, 72);
  assert.equal((await a.call<LoadStatus>('getStatus', 'c1')).displayed, 2);
  await b.call('setSort', 'c1', 'length', true);
  const bRows = await b.call<PacketRow[]>('getPackets', 'c1', 0, 100);
  assert.deepEqual(
    bRows.map((r) => r.length),
    [...bRows.map((r) => r.length)].sort((x, y) => y - x),
  );
  assert.deepEqual(
    (await a.call<PacketRow[]>('getPackets', 'c1', 0, 100)).map((r) => r.info),
    ['C: MAIL FROM:<student@lab.local>', 'C: PASS apple'],
  );
  assert.equal(await a.call('rowOfFrame', 'c1', 1), -1);
  assert.equal(
    await b.call('rowOfFrame', 'c1', 1),
    bRows.findIndex((r) => r.no === 1),
  );
  // The engine's own view (the CLI's, the desktop window's) is untouched.
  assert.equal(s.engine.session('c1').rowCount(), 72);
  await a.call('setFilter', 'c1', '');
  await b.call('setSort', 'c1', null, false);
});

test('an upload is seen only by the page that made it, under an unguessable id, stored in the private temporary directory', async () => {
  const eventsBefore = b.events.length;
  const up = await a.call<CaptureInfo>('openUpload', 'ftp.pcap', readFileSync(FTP).toString('base64'));
  assert.match(up.id, /^u[0-9a-f]{32}$/);
  await until(
    () => a.call<LoadStatus>('getStatus', up.id),
    (st) => st.state === 'ready',
  );
  assert.deepEqual(
    (await a.call<CaptureInfo[]>('listCaptures')).map((c) => c.id),
    ['c1', up.id],
  );
  assert.deepEqual(
    (await b.call<CaptureInfo[]>('listCaptures')).map((c) => c.id),
    ['c1'],
  );
  // B cannot reach it by the engine's id nor by A's id.
  const engineId = (await s.engine.listCaptures()).find((c) => c.name === 'ftp.pcap')!.id;
  await assert.rejects(b.call('getConnections', engineId), /no open capture/);
  await assert.rejects(b.call('getConnections', up.id), /no open capture/);
  assert.ok(
    b.events
      .slice(eventsBefore)
      .every((e: EngineEvent) => e.type !== 'opened' && !(e.type === 'status' && e.status.id !== 'c1')),
  );
  assert.ok(a.events.some((e) => e.type === 'opened' && e.capture.id === up.id));
  // A new visitor does not see the latest upload.
  const c = await pageClient(s);
  assert.deepEqual(
    (await c.call<CaptureInfo[]>('listCaptures')).map((x) => x.id),
    ['c1'],
  );
  c.close();
  // The upload lives in this run's private directory (removed on exit).
  const path = s.engine.captureFile(engineId)!.path;
  assert.ok(path.startsWith(join(privateTempRoot(), 'run-')), path);
  assert.equal(dirname(path).endsWith('/uploads'), true);
  // Downloads: by A's private id; the engine id of a private capture is not a download name.
  assert.equal((await download(up.id)).status, 200);
  assert.equal((await download(engineId)).status, 404);
});

test("a browser keeps its uploads across reloads (its cookie names it); another browser's cookie does not reach them", async () => {
  const page = await get(s.server.port, `/?token=${s.server.token}`, { Host: s.host });
  const id = new RegExp(`wirelens-browser-${s.server.port}=([0-9a-f]{32}); HttpOnly; SameSite=Strict`).exec(
    page.head,
  )?.[1];
  assert.ok(id, page.head);
  const cookie = `wirelens-browser-${s.server.port}=${id}`;
  const first = await pageClient(s, { cookie });
  const up = await first.call<CaptureInfo>('openUpload', 'mine.pcap', readFileSync(FTP).toString('base64'));
  first.close();
  const reloaded = await pageClient(s, { cookie });
  assert.ok((await reloaded.call<CaptureInfo[]>('listCaptures')).some((c) => c.id === up.id));
  reloaded.close();
  const other = await pageClient(s, { cookie: `wirelens-browser-${s.server.port}=${'0'.repeat(32)}` });
  assert.ok(
    !(await other.call<CaptureInfo[]>('listCaptures')).some((c) => c.id === up.id || c.name === 'mine.pcap'),
  );
  await assert.rejects(other.call('getStatus', up.id), /no open capture/);
  other.close();
});

test('an upload over the size limit is refused with a message', async () => {
  const big = await serveSample({ limits: { maxUploadBytes: 1000 } });
  const p = await pageClient(big);
  await assert.rejects(
    p.call('openUpload', 'big.pcap', Buffer.alloc(2000).toString('base64')),
    /upload too large/,
  );
  p.close();
  await big.close();
});

test('one browser may open a bounded number of captures; others still may', async () => {
  const few = await serveSample({ limits: { capturesPerBrowser: 2 } });
  const p = await pageClient(few);
  const bytes = readFileSync(FTP).toString('base64');
  await p.call('openUpload', 'one.pcap', bytes);
  await p.call('decodeAs', 'c1', [{ port: 1025, protocol: 'unknown' }]);
  await assert.rejects(
    p.call('openUpload', 'three.pcap', bytes),
    /this browser has opened 2 captures on this server, the most it may/,
  );
  const q = await pageClient(few);
  await q.call('openUpload', 'other.pcap', bytes);
  p.close();
  q.close();
  await few.close();
});

test('opening server-side paths: /etc/shadow and other paths are refused; the FILE and files under --dir open', async () => {
  for (const path of [
    '/etc/shadow',
    '/etc/passwd',
    join(allowedDir, '..', 'x.pcap'),
    join(allowedDir, 'link-out.pcap'),
    allowedDir,
    '/proc/self/environ',
  ]) {
    await assert.rejects(a.call('openFile', path), /opens only the file it was started with/, path);
  }
  const sample = await a.call<CaptureInfo>('openFile', SAMPLE_CAPTURE);
  assert.match(sample.id, /^u/);
  const lesson = await a.call<CaptureInfo>('openFile', join(allowedDir, 'lesson.pcap'));
  await until(
    () => a.call<LoadStatus>('getStatus', lesson.id),
    (st) => st.state === 'ready',
  );
  assert.equal((await a.call<LoadStatus>('getStatus', lesson.id)).packets, 43);
});

test('a file that is not a capture is never downloadable (opened by path or uploaded)', async () => {
  const notes = await a.call<CaptureInfo>('openFile', join(allowedDir, 'notes.txt'));
  const st = await until(
    () => a.call<LoadStatus>('getStatus', notes.id),
    (x) => x.state !== 'loading',
  );
  assert.equal(st.state, 'error');
  const r = await download(notes.id);
  assert.equal(r.status, 409);
  assert.doesNotMatch(r.body, /secret notes/);
  const up = await a.call<CaptureInfo>(
    'openUpload',
    'shadow.pcap',
    Buffer.from('root:$6$hash:19000:0:99999:7:::\n').toString('base64'),
  );
  await until(
    () => a.call<LoadStatus>('getStatus', up.id),
    (x) => x.state !== 'loading',
  );
  const r2 = await download(up.id);
  assert.equal(r2.status, 409);
  assert.doesNotMatch(r2.body, /root:/);
  const sample = await download('c1');
  assert.equal(sample.status, 200);
  assert.match(sample.head, /content-disposition: attachment; filename="smtp-pop3-lesson.pcap"/i);
});

test('starting a capture is refused to pages of a server that listens beyond loopback', async () => {
  const wide = await serveSample({ host: '0.0.0.0' });
  const p = await pageClient(wide);
  await assert.rejects(p.call('listInterfaces'), /reserved to the machine running/);
  await assert.rejects(p.call('startCapture', { iface: 'lo' }), /reserved to the machine running/);
  await assert.rejects(p.call('stopCapture', 'c1'), /reserved to the machine running/);
  p.close();
  await wide.close();
});

test('--share: a capture one page opens is shown to every page (a teacher sharing a capture)', async () => {
  const shared = await serveSample({ share: true });
  const teacher = await pageClient(shared);
  const student = await pageClient(shared);
  const up = await teacher.call<CaptureInfo>('openUpload', 'ftp.pcap', readFileSync(FTP).toString('base64'));
  assert.match(up.id, /^c\d+$/);
  await until(
    async () => student.events,
    (ev) => ev.some((e) => e.type === 'opened' && e.capture.id === up.id),
  );
  assert.deepEqual(
    (await student.call<CaptureInfo[]>('listCaptures')).map((c) => c.id),
    ['c1', up.id],
  );
  // Views stay each page's own.
  await teacher.call('setFilter', up.id, 'ftp');
  await until(
    () => student.call<LoadStatus>('getStatus', up.id),
    (st) => st.state === 'ready',
  );
  assert.equal((await student.call<LoadStatus>('getStatus', up.id)).displayed, 43);
  teacher.close();
  student.close();
  await shared.close();
});

test('uploads are removed when the server process ends', () => {
  const helper = new URL('./attack-client.ts', import.meta.url).pathname;
  const script = `
    import { readFileSync } from 'node:fs';
    import { pageClient, serveSample } from ${JSON.stringify(helper)};
    const s = await serveSample();
    const p = await pageClient(s);
    const up = await p.call('openUpload', 'ftp.pcap', readFileSync(${JSON.stringify(FTP)}).toString('base64'));
    const id = (await s.engine.listCaptures()).find((c) => c.name === 'ftp.pcap').id;
    console.log(s.engine.captureFile(id).path);
    p.close();
    await s.close();
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const path = r.stdout.trim();
  assert.ok(path.startsWith(join(privateTempRoot(), 'run-')), path);
  assert.equal(existsSync(path), false);
  assert.equal(existsSync(dirname(dirname(path))), false, 'the run directory is gone');
});
