/**
 * Issue 23 item 5: `contains` and `matches` on a protocol name search that protocol's bytes, as
 * tshark does: `ip` = the datagram (header and payload), `tcp` = the segment (header and payload),
 * `smtp` = the SMTP bytes of the frame. The expected frames are what tshark 4 answers for the same
 * capture (test/system/filter-contains-tshark.test.ts compares with tshark live on recordings).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../../electron/engine/engine';
import { ipv4TcpPacket, writePcap } from '../../helpers/capture-writer';

const te = new TextEncoder();
const C = 0x7f000001,
  S = 0x7f000002; // 127.0.0.1 → 127.0.0.2, client port 40000 (9c:40) → 25
const packets = [
  ipv4TcpPacket({
    src: C,
    dst: S,
    sport: 40000,
    dport: 25,
    seq: 1,
    ack: 0,
    flags: 0x02,
    payload: new Uint8Array(0),
  }),
  ipv4TcpPacket({
    src: S,
    dst: C,
    sport: 25,
    dport: 40000,
    seq: 100,
    ack: 2,
    flags: 0x12,
    payload: new Uint8Array(0),
  }),
  ipv4TcpPacket({
    src: C,
    dst: S,
    sport: 40000,
    dport: 25,
    seq: 2,
    ack: 101,
    flags: 0x10,
    payload: new Uint8Array(0),
  }),
  ipv4TcpPacket({
    src: S,
    dst: C,
    sport: 25,
    dport: 40000,
    seq: 101,
    ack: 2,
    flags: 0x18,
    payload: te.encode('220 hello ESMTP\r\n'),
  }),
  ipv4TcpPacket({
    src: C,
    dst: S,
    sport: 40000,
    dport: 25,
    seq: 2,
    ack: 118,
    flags: 0x18,
    payload: te.encode('EHLO x\r\n'),
  }),
];

test('protocol names in contains/matches: the bytes of that layer to the end of the packet', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wl-proto-bytes-'));
  const file = join(dir, 'smtp.pcap');
  const records = packets.map((data, i) => ({ tsSec: 1_800_000_000, tsFrac: i, origLen: data.length, data }));
  writeFileSync(
    file,
    writePcap({ little: true, nanos: false, linkType: 101, snapLen: 65535, records }).bytes,
  );
  const engine = new Engine({});
  try {
    const cap = await engine.openFile(file);
    while ((await engine.getStatus(cap.id)).state === 'loading') await new Promise((r) => setTimeout(r, 10));
    const frames = async (f: string): Promise<number[]> => {
      const res = await engine.setFilter(cap.id, f);
      assert.ok(res.ok, `${f}: ${res.error}`);
      return (await engine.getPackets(cap.id, 0, 100)).map((r) => r.no);
    };
    const expected: Record<string, number[]> = {
      'tcp contains "EHLO"': [5],
      'ip contains "EHLO"': [5],
      'smtp contains "EHLO"': [5],
      'smtp contains "220"': [4],
      'tcp contains 9c:40': [1, 2, 3, 4, 5], // the client port, in every TCP header
      'ip contains 7f:00:00:02': [1, 2, 3, 4, 5], // an address, in every IP header
      'tcp contains 7f:00:00:02': [], // the addresses are not part of the segment
      'smtp contains 7f:00:00:02': [],
      'tcp matches "ehlo"': [5],
      'tcp matches "^ehlo"': [], // the segment starts with its header
      'smtp matches "^ehlo"': [5],
      'smtp matches "^(?-i)ehlo"': [],
      'frame contains "ESMTP"': [4],
    };
    for (const [f, want] of Object.entries(expected)) assert.deepEqual(await frames(f), want, f);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
