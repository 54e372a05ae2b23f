/**
 * Save a capture as pcapng with the TLS keys it used embedded (a Decryption Secrets Block, as
 * `editcap --inject-secrets tls,KEYS` writes it, right after the Section Header): one self-contained
 * file that Wireshark and Wirelens both decrypt with no key log given. Only the keys of sessions the
 * capture contains (those that matched) are written.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { DSB_TLS_KEY_LOG, PCAPNG_SHB } from '../../dissectors/capture/pcapng';
import { runTempDir } from '../shared/private-temp';
import type { CaptureSession } from './capture-session';
import { exportPackets } from './packet-export';

/** Largest capture saved this way in one piece (it travels to the page as base64). */
export const MAX_SAVE_WITH_KEYS_BYTES = 256 * 1024 * 1024;

/** A little-endian pcapng Decryption Secrets Block holding a TLS key log. */
export function decryptionSecretsBlock(keyLog: string): Buffer {
  const data = Buffer.from(keyLog, 'utf8');
  const pad = (4 - (data.length % 4)) % 4;
  const len = 20 + data.length + pad;
  const b = Buffer.alloc(len);
  b.writeUInt32LE(0x0a, 0);
  b.writeUInt32LE(len, 4);
  b.writeUInt32LE(DSB_TLS_KEY_LOG, 8);
  b.writeUInt32LE(data.length, 12);
  data.copy(b, 16);
  b.writeUInt32LE(len, len - 4);
  return b;
}

/** The pcapng file with a Decryption Secrets Block of `lines` inserted after its (little-endian) Section Header. */
export function withTlsSecrets(pcapng: Uint8Array, lines: readonly string[]): Buffer {
  const b = Buffer.from(pcapng.buffer, pcapng.byteOffset, pcapng.byteLength);
  if (b.length < 28 || b.readUInt32LE(0) !== PCAPNG_SHB || b.readUInt32LE(8) !== 0x1a2b3c4d)
    throw new Error('not a little-endian pcapng file');
  const shb = b.readUInt32LE(4);
  if (shb < 28 || shb > b.length) throw new Error('the pcapng section header is damaged');
  return Buffer.concat([
    b.subarray(0, shb),
    decryptionSecretsBlock(lines.join('\n') + '\n'),
    b.subarray(shb),
  ]);
}

/** The whole capture as pcapng with the keys of its decrypted sessions embedded. */
export async function saveWithTlsKeys(
  s: CaptureSession,
): Promise<{ filename: string; packets: number; keys: number; bytes: Buffer }> {
  const keys = s.loaded?.tlsKeys;
  const lines = keys?.matchedLines() ?? [];
  if (lines.length === 0)
    throw new Error(
      'no TLS key of this capture matched a session: load the key log first ("TLS keys…" or --keylog)',
    );
  if (s.info.sizeBytes > MAX_SAVE_WITH_KEYS_BYTES)
    throw new Error(
      `the capture is larger than ${MAX_SAVE_WITH_KEYS_BYTES / 1024 / 1024} MiB: use \`editcap --inject-secrets tls,KEYS\` on it instead`,
    );
  const tmp = join(runTempDir(), `with-keys-${process.pid}-${Date.now()}.pcapng`);
  try {
    const r = await exportPackets(s.handle.source.path, tmp, { format: 'pcapng', include: () => true });
    const bytes = withTlsSecrets(await fsp.readFile(tmp), lines);
    return {
      filename: `${s.info.name.replace(/\.(pcapng|pcap|cap)(\.gz)?$/i, '')}-with-keys.pcapng`,
      packets: r.packets,
      keys: lines.length,
      bytes,
    };
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}
