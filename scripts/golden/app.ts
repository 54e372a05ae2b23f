/**
 * tshark's application-layer fields for the dissector agreement test (test/unit/app/golden-app.test.ts).
 * For every capture under fixtures/ with TCP: one row per frame that carries any of the fields below,
 * multi-valued fields joined with the ASCII record separator (0x1E). tshark is told the lesson ports it does not know by itself
 * (Mailpit's SMTP 1025 and POP3 1110, SMTP 2525, HTTP 8025) with -d.
 * Output: fixtures/golden/app/<path under fixtures with "/" as "__">.tsv
 *
 * Run: node --import tsx scripts/golden/app.ts   (needs tshark on PATH)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { goldenNameFor, listCaptures, runTshark } from './net';

export const APP_GOLDEN_FIELDS = [
  'frame.number',
  'tcp.stream',
  'smtp.req.command',
  'smtp.req.parameter',
  'smtp.response.code',
  'pop.request.command',
  'pop.response.indicator',
  'ftp.request.command',
  'ftp.response.code',
  'ftp.passive.port',
  'http.request.method',
  'http.request.uri',
  'http.response.code',
  'tls.handshake.type',
  'tls.handshake.extensions_server_name',
  'tls.handshake.ciphersuite',
] as const;

/** Joins several values of a field in one frame (a character no protocol field here contains). */
export const AGGREGATOR = '\x1e';

export const DECODE_AS = ['tcp.port==1025,smtp', 'tcp.port==2525,smtp', 'tcp.port==1110,pop', 'tcp.port==8025,http'];

const ROOT = join(import.meta.dirname, '..', '..');
const OUT = join(ROOT, 'fixtures', 'golden', 'app');

export function runAppTshark(capture: string): string {
  const args = ['-r', capture, '-n', '-T', 'fields', '-E', 'separator=/t', '-E', 'header=y', '-E', `aggregator=${AGGREGATOR}`, '-E', 'occurrence=a'];
  for (const d of DECODE_AS) args.push('-d', d);
  args.push('-Y', 'smtp or pop or ftp or http or tls.handshake');
  for (const f of APP_GOLDEN_FIELDS) args.push('-e', f);
  return runTshark(args);
}

function main(): void {
  mkdirSync(OUT, { recursive: true });
  const only = process.argv[2];
  const captures = listCaptures(join(ROOT, 'fixtures')).filter((c) => !only || c.includes(only));
  let n = 0;
  for (const capture of captures) {
    const text = runAppTshark(capture);
    if (text.split('\n').filter(Boolean).length <= 1) continue;
    writeFileSync(join(OUT, goldenNameFor(capture)), text);
    n++;
  }
  console.log(`wrote ${n} golden files to fixtures/golden/app`);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) main();
