/**
 * PacketDecoder (the bulk pass's decoder, which refills one packet, IP result, TCP header and
 * options object per packet) decodes exactly as decodePacket (fresh objects): every packet of every
 * fixture, in file order and shuffled, through ONE decoder, so that nothing of a packet (a SYN's
 * options, a fragment, VLAN tags, UDP, diagnostics) leaks into the next; and the same for damaged
 * packets (seeded byte flips and cuts), whose diagnostics must match too.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readCaptureBytes } from '../../../dissectors/capture/reader';
import { decodePacket, PacketDecoder } from '../../../dissectors/net/decode';
import type { DecodedPacket } from '../../../dissectors/net/types';
import { captureFixtures, fixtureName } from '../../helpers/fixtures';

interface Input {
  where: string;
  linkType: number;
  data: Uint8Array;
  frame: number;
}

/** The packet as plain data: undefined fields dropped (the reused object has every key), bytes as hex. */
function plain(p: DecodedPacket): unknown {
  const { data, ...rest } = p;
  return { ...(JSON.parse(JSON.stringify(rest)) as object), data: Buffer.from(data).toString('hex') };
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const inputs: Input[] = [];
for (const file of captureFixtures()) {
  const raw = readFileSync(file);
  let records;
  try {
    records = readCaptureBytes(file.endsWith('.gz') ? (await import('node:zlib')).gunzipSync(raw) : raw).records;
  } catch {
    continue; // a fixture that is deliberately not a readable capture
  }
  for (const r of records) inputs.push({ where: `${fixtureName(file)} frame ${r.frame}`, linkType: r.linkType, data: r.data, frame: r.frame });
}

// The fixtures hold no IPv4 fragments: make some from their Ethernet IPv4 packets (first fragments
// with More Fragments set, and later ones with an offset), mixed in among the others.
for (const x of inputs.slice()) {
  const d = x.data;
  if (x.linkType !== 1 || d.length < 34 || d[12] !== 0x08 || d[13] !== 0x00 || d[14] >> 4 !== 4 || inputs.length > 100000) continue;
  if (x.frame % 7 !== 0) continue;
  const first = Uint8Array.from(d);
  first[20] |= 0x20;
  const later = Uint8Array.from(d);
  later[20] = (later[20] & 0xe0) | 0x01;
  inputs.push({ where: `${x.where} as a first fragment`, linkType: 1, data: first, frame: x.frame });
  inputs.push({ where: `${x.where} as a later fragment`, linkType: 1, data: later, frame: x.frame });
}

function compareAll(list: Input[], label: string): { tcp: number; withOptions: number; timestamps: number; fragments: number; vlan: number; ipv6: number; udp: number; diagnosed: number } {
  const decoder = new PacketDecoder();
  const seen = { tcp: 0, withOptions: 0, timestamps: 0, fragments: 0, vlan: 0, ipv6: 0, udp: 0, diagnosed: 0 };
  for (const x of list) {
    const fresh = decodePacket(x.linkType, x.data, x.frame);
    const reused = decoder.decode(x.linkType, x.data, x.frame);
    assert.deepEqual(plain(reused), plain(fresh), `${label}: ${x.where}`);
    if (fresh.tcp) seen.tcp++;
    if (fresh.tcp?.options.kinds.length) seen.withOptions++;
    if (fresh.tcp?.options.timestamp) seen.timestamps++;
    if (fresh.fragment) seen.fragments++;
    if (fresh.vlan) seen.vlan++;
    if (fresh.ipVersion === 6) seen.ipv6++;
    if (fresh.udp) seen.udp++;
    if (fresh.diagnostics.length) seen.diagnosed++;
  }
  return seen;
}

test('PacketDecoder = decodePacket on every fixture packet, in file order', () => {
  assert.ok(inputs.length > 5000, `${inputs.length} packets`);
  const seen = compareAll(inputs, 'file order');
  // The fixtures do exercise what could leak from one packet into the next.
  for (const [k, n] of Object.entries(seen)) assert.ok(n > 0, `no fixture packet has ${k}`);
});

test('PacketDecoder = decodePacket with the packets shuffled (no state carried from one packet to the next)', () => {
  const rnd = seeded(7);
  const list = inputs.slice();
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  compareAll(list, 'shuffled');
});

test('PacketDecoder = decodePacket on damaged packets (flipped bytes, cut short), diagnostics included', () => {
  const rnd = seeded(11);
  const list: Input[] = [];
  for (let k = 0; k < 20000; k++) {
    const x = inputs[Math.floor(rnd() * inputs.length)];
    const d = Uint8Array.from(x.data);
    const flips = 1 + Math.floor(rnd() * 4);
    // Flips in the first 80 bytes hit link, IP and TCP headers (lengths, versions, options).
    for (let f = 0; f < flips && d.length; f++) d[Math.floor(rnd() * Math.min(d.length, 80))] = Math.floor(rnd() * 256);
    const cut = rnd() < 0.3 ? d.subarray(0, Math.floor(rnd() * d.length)) : d;
    list.push({ where: `${x.where} (damaged #${k})`, linkType: x.linkType, data: cut, frame: x.frame });
  }
  const seen = compareAll(list, 'damaged');
  assert.ok(seen.diagnosed > 1000, `${seen.diagnosed} damaged packets had diagnostics`);
});
