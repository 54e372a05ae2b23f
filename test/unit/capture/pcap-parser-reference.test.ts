/**
 * Every classic-pcap fixture read by Wirelens and by the npm package `pcap-parser` (an independent
 * reference reader): same records, same captured and original lengths, same timestamps, same bytes.
 * pcap-parser reads only the microsecond magic (a1b2c3d4, either byte order) and stops at a cut-off
 * record; files it cannot read are compared as far as it got.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { readCaptureBytes } from '../../../dissectors/capture/reader';
import { captureFixtures, fixtureName } from '../../helpers/fixtures';

const require = createRequire(import.meta.url);
const pcapp = require('pcap-parser') as {
  parse(input: Readable): NodeJS.EventEmitter;
};

interface RefPacket {
  header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number };
  data: Buffer;
}

function readWithPcapParser(bytes: Buffer): Promise<{ packets: RefPacket[]; error: string | null }> {
  return new Promise((resolve) => {
    const packets: RefPacket[] = [];
    const parser = pcapp.parse(Readable.from([bytes]));
    parser.on('packet', (p: RefPacket) => packets.push({ header: { ...p.header }, data: Buffer.from(p.data) }));
    parser.on('end', () => resolve({ packets, error: null }));
    parser.on('error', (e: Error) => resolve({ packets, error: e.message }));
  });
}

const classic = captureFixtures().filter((p) => {
  if (p.endsWith('.gz')) return false;
  const head = readFileSync(p).subarray(0, 4).toString('hex');
  return head === 'd4c3b2a1' || head === 'a1b2c3d4';
});

let compared = 0;
for (const path of classic) {
  test(`classic pcap records equal pcap-parser's: ${fixtureName(path)}`, async () => {
    const bytes = readFileSync(path);
    const ref = await readWithPcapParser(bytes);
    const ours = readCaptureBytes(bytes).records;
    // pcap-parser emits nothing for a cut-off last record; we keep every whole record too.
    assert.ok(ref.packets.length > 0 || ours.length === 0, `pcap-parser read nothing: ${ref.error}`);
    if (ref.error === null) assert.equal(ours.length, ref.packets.length, 'record count');
    else assert.ok(ours.length >= ref.packets.length, `pcap-parser stopped (${ref.error}); we read at least as far`);
    ref.packets.forEach((p, i) => {
      const r = ours[i];
      const where = `record ${i + 1}`;
      assert.equal(r.capLen, p.header.capturedLength, `${where} caplen`);
      assert.equal(r.origLen, p.header.originalLength, `${where} len`);
      if (p.header.timestampMicroseconds < 1e6) {
        assert.equal(r.tsSec, p.header.timestampSeconds, `${where} seconds`);
        assert.equal(r.tsNsec, p.header.timestampMicroseconds * 1000, `${where} sub-second`);
      }
      assert.ok(Buffer.from(r.data).equals(p.data), `${where} bytes`);
      compared++;
    });
  });
}

test('pcap-parser comparison covered the classic pcap fixtures', () => {
  assert.ok(classic.length > 100, `${classic.length} classic pcap fixtures`);
  assert.ok(compared > 1000, `${compared} records compared`);
});
