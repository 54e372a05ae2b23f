/**
 * Hostile captures made on the spot (never committed): decompression bombs inside HTTP bodies and
 * as the capture's container, and connection floods. The fuzz campaign runs them with its mutants
 * (`npm run fuzz`); the robustness tests assert the limit each one reaches.
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { ipv4TcpPacket, writePcap, type PcapRecordSpec } from '../helpers/capture-writer';

const MiB = 1024 * 1024;
const te = new TextEncoder();

/** One TCP connection: handshake, then each turn's bytes in order, acknowledged (raw IPv4 packets). */
export function conversation(
  client: number,
  clientPort: number,
  server: number,
  serverPort: number,
  turns: Array<['client' | 'server', Uint8Array]>,
): Uint8Array[] {
  let cSeq = 1000;
  let sSeq = 5000;
  const c = (flags: number, payload: Uint8Array = new Uint8Array(0)) =>
    ipv4TcpPacket({
      src: client,
      dst: server,
      sport: clientPort,
      dport: serverPort,
      seq: cSeq,
      ack: sSeq,
      flags,
      payload,
    });
  const s = (flags: number, payload: Uint8Array = new Uint8Array(0)) =>
    ipv4TcpPacket({
      src: server,
      dst: client,
      sport: serverPort,
      dport: clientPort,
      seq: sSeq,
      ack: cSeq,
      flags,
      payload,
    });
  const out = [
    ipv4TcpPacket({
      src: client,
      dst: server,
      sport: clientPort,
      dport: serverPort,
      seq: cSeq - 1,
      ack: 0,
      flags: 0x02,
      payload: new Uint8Array(0),
    }),
  ];
  out.push(
    ipv4TcpPacket({
      src: server,
      dst: client,
      sport: serverPort,
      dport: clientPort,
      seq: sSeq - 1,
      ack: cSeq,
      flags: 0x12,
      payload: new Uint8Array(0),
    }),
  );
  out.push(c(0x10));
  for (const [who, bytes] of turns) {
    for (let at = 0; at < bytes.length; at += 1400) {
      const piece = bytes.subarray(at, at + 1400);
      if (who === 'client') {
        out.push(c(0x18, piece));
        cSeq += piece.length;
      } else {
        out.push(s(0x18, piece));
        sSeq += piece.length;
      }
    }
  }
  out.push(c(0x11));
  cSeq++;
  out.push(s(0x11));
  sSeq++;
  out.push(c(0x10));
  return out;
}

export function pcapOf(packets: Uint8Array[]): Uint8Array {
  const records: PcapRecordSpec[] = packets.map((data, i) => ({
    tsSec: 1_800_000_000 + Math.floor(i / 1000),
    tsFrac: (i % 1000) * 1000,
    origLen: data.length,
    data,
  }));
  return writePcap({ little: true, nanos: false, linkType: 101, snapLen: 65535, records }).bytes;
}

/** A compressed body of `size` zero bytes. */
export function compressedZeros(encoding: 'br' | 'gzip', size: number): Uint8Array {
  const zeros = Buffer.alloc(size);
  return encoding === 'br'
    ? brotliCompressSync(zeros, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
    : gzipSync(zeros, { level: 9 });
}

/**
 * `connections` keep-alive HTTP connections, each answering `responses` GETs with the same
 * compressed body of `expandsTo` zero bytes (a bomb: a few hundred bytes of brotli, 32 KB of gzip
 * per 32 MiB).
 */
export function httpBombCapture(
  encoding: 'br' | 'gzip',
  responses: number,
  expandsTo = 256 * MiB,
  connections = 1,
): Uint8Array {
  const body = compressedZeros(encoding, expandsTo);
  const head = te.encode(
    `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: ${encoding}\r\nContent-Length: ${body.length}\r\n\r\n`,
  );
  const response = new Uint8Array(head.length + body.length);
  response.set(head);
  response.set(body, head.length);
  const turns: Array<['client' | 'server', Uint8Array]> = [];
  for (let i = 0; i < responses; i++)
    turns.push(
      ['client', te.encode(`GET /${i} HTTP/1.1\r\nHost: bomb.test\r\nAccept-Encoding: ${encoding}\r\n\r\n`)],
      ['server', response],
    );
  const packets: Uint8Array[] = [];
  for (let k = 0; k < connections; k++)
    packets.push(...conversation(0x0a000001, 40000 + k, 0x0a000002, 80, turns));
  return pcapOf(packets);
}

/**
 * `n` TCP connections of one data byte each (no handshake, no teardown), as the flood of issue 21:
 * 600,000 of them (25 MB gzipped) exhausted the engine's memory before the limits.
 */
export function connectionFloodCapture(n: number, port = 25): Uint8Array {
  return pcapOf(connectionFloodPackets(n, port));
}

/** The packets of connectionFloodCapture. */
export function connectionFloodPackets(n: number, port = 25): Uint8Array[] {
  const packets: Uint8Array[] = [];
  const one = new Uint8Array([0x41]);
  for (let i = 0; i < n; i++) {
    packets.push(
      ipv4TcpPacket({
        src: 0x0a000000 + (i >>> 8),
        dst: 0x7f000001,
        sport: 1024 + (i & 0xff) * 200 + 1,
        dport: port,
        seq: 1000,
        ack: 1,
        flags: 0x18,
        payload: one,
      }),
    );
  }
  return packets;
}

/** A gzip container for a capture: the capture, then `members` gzip members of 16 MiB of zeros each. */
export function gzipContainerBomb(capture: Uint8Array, members: number): Uint8Array {
  const zeros = gzipSync(Buffer.alloc(16 * MiB), { level: 9 });
  return Buffer.concat([gzipSync(capture), ...Array.from({ length: members }, () => zeros)]);
}
