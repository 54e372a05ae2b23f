/** Resolves with a child process's output (stdout + stderr) once it matches `re`; rejects if the child exits first. */
import type { ChildProcess } from 'node:child_process';

export function waitForOutput(child: ChildProcess, re: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const on = (d: Buffer) => {
      text += d.toString();
      if (re.test(text)) resolve(text);
    };
    child.stdout?.on('data', on);
    child.stderr?.on('data', on);
    child.once('exit', (code) => reject(new Error(`exited ${code} before ${re}: ${text}`)));
  });
}
