/** Decrypting a capture with key logs for the TLS tests, and tshark's follow,tls,raw output read back. */
import { readFileSync } from 'node:fs';
import { buildReport } from '../../dissectors/analysis/report';
import type { AnalysisReport } from '../../dissectors/analysis/types';
import { TlsKeyLog } from '../../dissectors/app/tls/keylog';
import { loadCapture } from '../../electron/engine/load-capture';

export interface Decrypted {
  report: AnalysisReport;
  keys: TlsKeyLog;
  /** Decrypted bytes per direction of connection 0, in order, as hex. */
  plain: { client: string; server: string };
}

export async function decrypt(capture: string, keyLogs: string[]): Promise<Decrypted> {
  const keys = new TlsKeyLog();
  for (const k of keyLogs) keys.add(readFileSync(k, 'utf8'), 'keylog');
  const plain = { client: '', server: '' };
  const loaded = await loadCapture(capture, {
    tlsKeys: keys,
    onTlsPlaintext: (conn, dir, bytes) => {
      if (conn === 0) plain[dir] += Buffer.from(bytes).toString('hex');
    },
  });
  const report = buildReport(loaded.summary, loaded.output, loaded.source.size);
  await loaded.source.dispose();
  return { report, keys, plain };
}

/**
 * tshark's `follow,tls,raw` output: node 0's lines flush left, node 1's indented by a tab. Which side
 * tshark calls node 0 varies (for TLS 1.3 it is sometimes the server, whose NewSessionTicket it saw
 * first), so the two directions are returned as an unordered pair, sorted.
 */
export function tsharkFollow(text: string): string[] {
  const out = ['', ''];
  for (const line of text.split('\n')) {
    if (!/^\t?[0-9a-f]+$/.test(line)) continue;
    if (line.startsWith('\t')) out[1] += line.slice(1);
    else out[0] += line;
  }
  return out.sort();
}
