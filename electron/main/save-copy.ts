/**
 * Saving a capture (File → Save As…): the bytes are copied next to the destination under a
 * temporary name, flushed, then renamed over it, so a crash or a full disk never leaves a
 * half-written file under the user's name. The dialog asks before replacing an existing file.
 * No `electron` import: tested on its own.
 */
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { sanitizeSaveName } from './save-name';

/**
 * Writes `destination` through a temporary file beside it: `fill` writes the temporary file, which
 * is flushed and then renamed over the destination; on any failure it is removed and the
 * destination is left as it was.
 */
async function writeAtomically(destination: string, fill: (temp: string) => Promise<void>): Promise<void> {
  const temp = join(dirname(destination), `.${basename(destination)}.${process.pid}.${Date.now()}.part`);
  try {
    await fill(temp);
    const fh = await fsp.open(temp, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(temp, destination);
  } catch (e) {
    await fsp.rm(temp, { force: true });
    throw e;
  }
}

export async function saveCopyAtomically(source: string, destination: string): Promise<number> {
  if (source !== destination) await writeAtomically(destination, (temp) => fsp.copyFile(source, temp));
  return (await fsp.stat(destination)).size;
}

/** Writes bytes the user chose to save the same way. */
export async function saveBytesAtomically(destination: string, bytes: Uint8Array): Promise<void> {
  await writeAtomically(destination, (temp) => fsp.writeFile(temp, bytes, { flag: 'wx' }));
}

/** The name the Save dialog proposes: the capture's name as a pcapng/pcap file name. */
export function suggestedSaveName(captureName: string, sourcePath: string): string {
  const ext = /\.pcapng$/i.test(sourcePath) ? '.pcapng' : /\.pcap$/i.test(sourcePath) ? '.pcap' : /\.cap$/i.test(sourcePath) ? '.cap' : '.pcapng';
  const stem = captureName.replace(/^live: /, 'live-').replace(/\.(pcapng|pcap|cap)(\.gz)?$/i, '').replace(/[^\w.-]+/g, '_').replace(/^[._]+/, '').slice(0, 100) || 'capture';
  return sanitizeSaveName(stem + ext, `capture${ext}`);
}
