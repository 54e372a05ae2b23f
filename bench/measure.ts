/**
 * Runs one command and measures wall time and peak resident memory (VmHWM from /proc, sampled every
 * 10 ms; the kernel keeps the high-water mark, so sampling misses at most the last few ms).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Measurement {
  ms: number;
  peakRssMb: number;
  exitCode: number;
  stdout: string;
  stderr: string;
}

function hwmKb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let peak = 0;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.length < 1000 && out.push(b));
    child.stderr.on('data', (b: Buffer) => err.length < 1000 && err.push(b));
    const timer = setInterval(() => (peak = Math.max(peak, hwmKb(child.pid!))), 10);
    child.on('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({
        ms: performance.now() - started,
        peakRssMb: peak / 1024,
        exitCode: code ?? 1,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
      });
    });
  });
}
