/**
 * TLS key logs for a capture: read from files (CLI --keylog, bounded) or handed over as text (the
 * app's "TLS keys…"), parsed into one TlsKeyLog per load, and what each contributed.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { MAX_KEYLOG_BYTES, TlsKeyLog, type KeyLogLoad } from '../../dissectors/app/tls/keylog';

export interface KeyLogText {
  /** A name for messages (the file's base name). */
  name: string;
  text: string;
}

export interface KeyLogReport extends KeyLogLoad {
  name: string;
}

/** Reads a key log file (at most MAX_KEYLOG_BYTES); errors say which file and what to do. */
export function readKeyLogFile(path: string): KeyLogText {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new Error(
      `cannot read the key log ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message} (give the file your TLS client wrote with SSLKEYLOGFILE or -keylogfile)`,
    );
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`the key log ${path} is not a file`);
    if (st.size > MAX_KEYLOG_BYTES)
      throw new Error(
        `the key log ${path} is ${st.size} bytes, more than ${MAX_KEYLOG_BYTES}: give only the lines of the sessions in the capture`,
      );
    const buf = Buffer.alloc(st.size);
    let at = 0;
    while (at < buf.length) {
      const n = readSync(fd, buf, at, buf.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return { name: basename(path), text: buf.subarray(0, at).toString('utf8') };
  } finally {
    closeSync(fd);
  }
}

/** One TlsKeyLog from several key logs, with what each gave. */
export function buildKeyLog(logs: readonly KeyLogText[]): { keys: TlsKeyLog; reports: KeyLogReport[] } {
  const keys = new TlsKeyLog();
  const reports = logs.map((l) => ({ name: l.name, ...keys.add(l.text, 'keylog') }));
  return { keys, reports };
}
