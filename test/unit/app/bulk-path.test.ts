/**
 * The handlers' bulk path (bytes of a body of known length, of an encrypted TLS record or of an FTP
 * data connection taken straight from a chunk instead of through the stream buffer) must give
 * exactly what buffering and pump() give: the same ladder — frames and times included —, summary,
 * credentials and diagnostics. Checked on every TCP connection of real captures (HTTP with lengths,
 * chunked bodies and gaps, TLS, FTP data; generated captures with retransmissions and reordering),
 * each run through the HTTP, TLS and FTP-data handlers (bytes a handler does not understand are its
 * "raw data" case, compared too).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { createFtpDataHandler } from '../../../dissectors/app/ftp/ftp-data';
import type { HandlerHost, ProtocolHandler } from '../../../dissectors/app/handler';
import { createHttpHandler } from '../../../dissectors/app/http/http';
import { laterHash } from '../../../dissectors/app/later-hash';
import { AppOutput } from '../../../dissectors/app/output';
import { StreamBuffer } from '../../../dissectors/app/stream-buffer';
import { createTlsHandler } from '../../../dissectors/app/tls/tls-handler';
import type { AppContext, AppProtocol } from '../../../dissectors/app/types';
import type { Direction } from '../../../dissectors/tcp/types';
import { nodeDecompress } from '../../../electron/engine/decompress';
import { nodeHashes } from '../../../electron/engine/hashes';
import { FIXTURES } from '../../helpers/fixtures';
import { runTcp, type StreamResult } from '../../helpers/tcp-run';

type Make = (host: HandlerHost) => ProtocolHandler;

const HANDLERS: Array<[AppProtocol, Make]> = [
  ['http', (host) => createHttpHandler(host)],
  ['tls', (host) => createTlsHandler(host, null)],
  ['ftp-data', (host) => createFtpDataHandler(host, { controlConnection: 0, host: null, port: 20, mode: 'PASV', frame: 1 })],
];

/** Replays a connection's chunks and gaps into a handler as the selector does, with or without the bulk path. */
function replay(stream: StreamResult, protocol: AppProtocol, make: Make, bulk: boolean): { result: string; bulkBytes: number } {
  const ctx: AppContext = {
    connection: { id: 0, client: { ip: '127.0.0.1', port: 50000 }, server: { ip: '127.0.0.1', port: 80 } },
    sha256: nodeHashes.sha256,
    md5: nodeHashes.md5,
    laterSha256: () => laterHash(nodeHashes),
    decompress: nodeDecompress,
    expectDataConnection: () => undefined,
  };
  const out = new AppOutput(protocol, 0);
  const bufs: Record<Direction, StreamBuffer> = { client: new StreamBuffer(), server: new StreamBuffer() };
  let handler: ProtocolHandler | null = null;
  const host: HandlerHost = { out, bufs, ctx, switchTo: (next) => (handler = next) };
  handler = make(host);
  let bulkBytes = 0;
  for (const e of stream.events) {
    if ('gap' in e) {
      bufs[e.gap.dir].reset(e.gap.offset + e.gap.length);
      handler.gap(e.gap);
      continue;
    }
    const chunk = { ...e.chunk, bytes: new Uint8Array(e.chunk.bytes) };
    const buf = bufs[chunk.dir];
    const taken = bulk && handler.bulk && buf.available === 0 ? handler.bulk(chunk.dir, chunk) : 0;
    bulkBytes += taken;
    if (taken === 0) buf.push(chunk);
    else buf.passed(chunk, taken);
    if (taken < chunk.bytes.length) handler.pump(chunk.dir, false);
    bufs.client.settle();
    bufs.server.settle();
    chunk.bytes.fill(0); // the chunk is only valid during the call: prove nothing kept a view of it
  }
  handler.pump('client', true);
  handler.pump('server', true);
  handler.end();
  const result = JSON.stringify(out.result(), (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v));
  return { result, bulkBytes };
}

function captures(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(pcap|pcapng)$/.test(name) && statSync(p).size < 2 * 1024 * 1024 && /http|tls|ssl|ftp|bench-small/i.test(relative(FIXTURES, p))) found.push(p);
    }
  };
  walk(FIXTURES);
  return found.sort();
}

test('the bulk path gives what buffering gives, on every connection of real HTTP, TLS and FTP captures', () => {
  const files = captures();
  assert.ok(files.length > 50, `found only ${files.length} captures`);
  const bulkBytes: Record<string, number> = { http: 0, tls: 0, 'ftp-data': 0 };
  let compared = 0;
  for (const file of files) {
    const run = runTcp(readFileSync(file));
    run.streams.forEach((stream, id) => {
      if (!stream || stream.events.length === 0) return;
      for (const [protocol, make] of HANDLERS) {
        const buffered = replay(stream, protocol, make, false);
        const direct = replay(stream, protocol, make, true);
        assert.equal(buffered.bulkBytes, 0);
        if (direct.result !== buffered.result) {
          let i = 0;
          while (direct.result[i] === buffered.result[i]) i++;
          assert.fail(`${relative(FIXTURES, file)} connection ${id} as ${protocol}: differs at ${i}: bulk …${direct.result.slice(i - 80, i + 80)}… buffered …${buffered.result.slice(i - 80, i + 80)}…`);
        }
        bulkBytes[protocol] += direct.bulkBytes;
        compared++;
      }
    });
  }
  // The comparison means something only if the bulk path carried much of the bytes.
  assert.ok(compared > 500, `compared ${compared}`);
  for (const [protocol, n] of Object.entries(bulkBytes)) assert.ok(n > 100_000, `${protocol}: only ${n} bytes went the bulk path`);
});
