/**
 * Wirelens's temporary files, in one private per-user directory: `wirelens-tmp-UID` under the
 * system temporary directory, mode 0700, refused when it belongs to someone else or is a link.
 * Each process works in a run directory of its own inside it (`run-PID-RANDOM`), removed on exit;
 * run directories whose process is gone (a crash, a kill) are removed at the next start.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, lstatSync, readdirSync, rmSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function privateTempRoot(base = tmpdir(), uid: number | undefined = process.getuid?.()): string {
  return join(base, uid === undefined ? 'wirelens-tmp' : `wirelens-tmp-${uid}`);
}

/**
 * Why a directory cannot be trusted as this user's private one (null when it can): not a directory
 * (a link or a file), another user's, or open to other users. /tmp is shared, so a directory of the
 * expected name may have been planted by someone else.
 */
export function privateDirProblem(st: Stats, uid: number | undefined): string | null {
  if (!st.isDirectory()) return 'is not a directory (a link or a file)';
  if (uid !== undefined && st.uid !== uid) return `belongs to another user (uid ${st.uid})`;
  if (uid !== undefined && (st.mode & 0o077) !== 0) return `can be read or written by other users (mode ${(st.mode & 0o777).toString(8)})`;
  return null;
}

/** Makes (or checks) the private root; throws an explained error when it is not safe to use. */
export function ensurePrivateRoot(root = privateTempRoot(), uid: number | undefined = process.getuid?.()): string {
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const problem = privateDirProblem(lstatSync(root), uid);
  if (problem) throw new Error(`Wirelens's temporary directory ${root} ${problem}, so nothing is written there. Remove it (or set TMPDIR to a directory of your own) and start again.`);
  return root;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes run directories left by processes that no longer exist; returns how many were removed. */
export function removeStaleRuns(root: string): number {
  let removed = 0;
  for (const name of readdirSync(root)) {
    const m = /^run-(\d+)-[0-9a-f]+$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || processAlive(pid)) continue;
    rmSync(join(root, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

let runDir: string | null = null;

/**
 * This process's run directory (made on first use, stale runs cleaned then). Everything Wirelens
 * writes temporarily (decompressed captures, uploads, scratch files) goes under it.
 */
export function runTempDir(): string {
  if (runDir) return runDir;
  const root = ensurePrivateRoot();
  removeStaleRuns(root);
  const dir = join(root, `run-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { mode: 0o700 });
  runDir = dir;
  process.once('exit', removeRunTempDir);
  return dir;
}

/** Removes this process's run directory now (also done on exit). */
export function removeRunTempDir(): void {
  if (!runDir) return;
  rmSync(runDir, { recursive: true, force: true });
  runDir = null;
}
