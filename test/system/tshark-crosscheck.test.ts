/**
 * System tier: compares Wirelens with the tshark installed on this machine, live (the unit tier
 * compares with committed tshark goldens instead).
 *  - a capture written by the project's generator (pcap and pcapng): every stream's bytes equal the
 *    generator's truth and tshark's `follow,tcp,raw` for a sample of streams; every frame's tcp.stream
 *    maps one-to-one to our connection id;
 *  - the committed goldens are what this tshark produces now (the golden script reproduces them);
 *  - capinfos packet counts and first-packet times equal the reader's.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DEFAULT_SHAPE, generateCapture } from '../../bench/generate-capture';
import { readCaptureBytes } from '../../dissectors/capture/reader';
import { runNetTshark } from '../../scripts/golden/net';
import { captureFixtures, fixtureName, goldenPath } from '../helpers/fixtures';
import { runTcp, sha256 } from '../helpers/tcp-run';

const dir = mkdtempSync(join(tmpdir(), 'wirelens-system-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function sh(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** tshark's follow,tcp,raw output → bytes of the first and the second node. */
function parseFollowRaw(text: string): { first: Buffer; second: Buffer } {
  const first: Buffer[] = [];
  const second: Buffer[] = [];
  let inBody = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('Node 1:')) {
      inBody = true;
      continue;
    }
    if (!inBody || line.startsWith('====') || line === '') continue;
    if (line.startsWith('\t')) second.push(Buffer.from(line.slice(1), 'hex'));
    else first.push(Buffer.from(line, 'hex'));
  }
  return { first: Buffer.concat(first), second: Buffer.concat(second) };
}

for (const format of ['pcap', 'pcapng'] as const) {
  test(`generated ${format}: streams equal the generator's truth and tshark follow; tcp.stream maps 1:1`, () => {
    const out = join(dir, `gen.${format}`);
    const truth = generateCapture({ out, format, sizeMb: 3, seed: `system-${format}`, concurrency: 12, shape: DEFAULT_SHAPE, quiet: true });
    const run = runTcp(readFileSync(out));
    assert.equal(run.models.length, truth.streams.length);
    for (const t of truth.streams) {
      // The generator numbers streams in order of their first packet, as the tracker does.
      const s = run.streams[t.stream];
      assert.equal(sha256(s.client), t.clientSha256, `stream ${t.stream} client bytes`);
      assert.equal(sha256(s.server), t.serverSha256, `stream ${t.stream} server bytes`);
    }
    // tshark: stream ids per frame.
    const fields = sh('tshark', ['-n', '-r', out, '-Y', 'tcp', '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.stream']);
    const map = new Map<number, number>();
    for (const line of fields.trim().split('\n')) {
      const [frame, stream] = line.split('\t').map(Number);
      const ours = run.verdicts.get(frame)?.connectionId;
      assert.notEqual(ours, undefined, `frame ${frame} has a connection`);
      const prev = map.get(stream);
      if (prev === undefined) map.set(stream, ours as number);
      else assert.equal(ours, prev, `frame ${frame}: tshark stream ${stream} is one connection`);
    }
    assert.equal(new Set(map.values()).size, map.size, 'no two tshark streams share a connection');
    // tshark follow for a sample of streams (every 7th).
    const sample = [...map.keys()].filter((s) => s % 7 === 0);
    const args = ['-n', '-r', out, '-q', ...sample.flatMap((s) => ['-z', `follow,tcp,raw,${s}`])];
    const text = sh('tshark', args);
    const blocks = text.split(/={60,}\n(?=Follow: tcp,raw)/).filter((b) => b.includes('Follow: tcp,raw'));
    assert.equal(blocks.length, sample.length);
    for (const block of blocks) {
      const id = Number(/Filter: tcp\.stream eq (\d+)/.exec(block)?.[1]);
      const node1 = /Node 0: (\S+)/.exec(block)?.[1];
      const s = run.streams[map.get(id) as number];
      const m = run.models[map.get(id) as number];
      const { first, second } = parseFollowRaw(block);
      const clientFirst = node1 === `${m.client.ip}:${m.client.port}`;
      const client = clientFirst ? first : second;
      const server = clientFirst ? second : first;
      assert.equal(createHash('sha256').update(client).digest('hex'), sha256(s.client), `tshark stream ${id} client`);
      assert.equal(createHash('sha256').update(server).digest('hex'), sha256(s.server), `tshark stream ${id} server`);
    }
  });
}

test('the committed net goldens are what this tshark produces (npm run golden reproduces them)', () => {
  const captures = captureFixtures();
  assert.ok(captures.length > 100);
  // Every 10th fixture keeps this quick; the unit tier compares all of them against the goldens.
  for (const path of captures.filter((_, i) => i % 10 === 0)) {
    const committed = readFileSync(goldenPath('net', path, '.tsv'), 'utf8');
    assert.equal(runNetTshark(path), committed, `golden for ${fixtureName(path)} differs from this tshark's output`);
  }
});

test('capinfos agrees with the reader on packet counts and first-packet times', () => {
  let compared = 0;
  for (const path of captureFixtures().filter((p) => !p.endsWith('.gz'))) {
    const name = fixtureName(path);
    let parsed;
    try {
      parsed = readCaptureBytes(readFileSync(path));
    } catch {
      continue; // not a capture (capinfos refuses these too)
    }
    const r = spawnSync('capinfos', ['-M', '-T', '-r', '-c', '-a', '-S', path], { encoding: 'utf8' });
    if (r.status !== 0) continue; // capinfos cannot read it (we read what we can; checked elsewhere)
    const [count, first] = r.stdout.trim().split('\t').slice(1);
    assert.equal(parsed.summary.packets, Number(count), `${name}: packets`);
    if (parsed.records.length && first !== 'n/a') {
      const ours = parsed.records[0].tsSec + parsed.records[0].tsNsec / 1e9;
      assert.ok(Math.abs(ours - Number(first)) < 1e-6, `${name}: first packet time ${ours} vs ${first}`);
    }
    compared++;
  }
  assert.ok(compared > 100, `compared ${compared} fixtures`);
});
