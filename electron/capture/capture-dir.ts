/**
 * Where live captures are written: a directory of this user's own under the temporary directory
 * (`wirelens-captures-UID`; Windows: the user's own %TEMP%), made private (0700). /tmp is shared,
 * so a directory of that name made by someone else — another user, or a symlink planted to
 * redirect the capture — is refused with what to do, never written into.
 */
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateDirProblem } from '../shared/private-temp';

export function captureDirPath(base = tmpdir(), uid: number | undefined = process.getuid?.()): string {
  return join(base, uid === undefined ? 'wirelens-captures' : `wirelens-captures-${uid}`);
}

/** Makes (or checks) the directory and returns its path; throws an explained error when it is not safe. */
export async function ensureCaptureDir(dir = captureDirPath(), uid: number | undefined = process.getuid?.()): Promise<string> {
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  const problem = privateDirProblem(await fsp.lstat(dir), uid);
  if (problem) throw new Error(`The live-capture directory ${dir} ${problem}, so Wirelens will not write captures there. Remove it (or set TMPDIR to a directory of your own) and start again.`);
  return dir;
}
