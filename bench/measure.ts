/**
 * Runs one command and measures wall time and peak resident memory (VmHWM from /proc, sampled every
 * 10 ms; the kernel keeps the high-water mark, so sampling misses at most the last few ms).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

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

export function measure(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Measurement> {
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

/** Where a measured command's standard output goes: a pipe read by another process, or /dev/null. */
export type OutputSink = { reader: { cmd: string; args: string[] } } | 'devnull';

export interface SinkMeasurement extends Measurement {
  /** What the reader printed (its standard output), when the output went to a reader. */
  readerOutput: string | null;
}

function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/**
 * Runs a command as a user does, its standard output going to `sink`: through a pipe into a separate
 * reader process (as `cmd | jq` — the reader reads at its own pace, so the command sees a pipe's
 * backpressure), or to /dev/null. Wall time until both ends exited; peak memory of the command.
 */
export async function measureInto(
  cmd: string,
  args: string[],
  sink: OutputSink,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SinkMeasurement> {
  const reader =
    sink === 'devnull' ? null : spawn(sink.reader.cmd, sink.reader.args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const devnull = sink === 'devnull' ? openSync('/dev/null', 'w') : null;
  const readerOut: Buffer[] = [];
  reader?.stdout!.on('data', (b: Buffer) => readerOut.push(b));
  const readerErr: Buffer[] = [];
  reader?.stderr!.on('data', (b: Buffer) => readerErr.length < 100 && readerErr.push(b));
  const started = performance.now();
  const child = spawn(cmd, args, { env, stdio: ['ignore', reader ? reader.stdin! : devnull!, 'pipe'] });
  // The child holds its own copy of the pipe's (or /dev/null's) descriptor now.
  if (reader) reader.stdin!.destroy();
  if (devnull !== null) closeSync(devnull);
  const err: Buffer[] = [];
  child.stderr!.on('data', (b: Buffer) => err.length < 1000 && err.push(b));
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, hwmKb(child.pid!))), 10);
  try {
    const [exitCode, readerCode] = await Promise.all([
      exited(child),
      reader ? exited(reader) : Promise.resolve(0),
    ]);
    const ms = performance.now() - started;
    if (readerCode !== 0)
      throw new Error(`the reader failed (exit ${readerCode}): ${Buffer.concat(readerErr).toString()}`);
    return {
      ms,
      peakRssMb: peak / 1024,
      exitCode,
      stdout: '',
      stderr: Buffer.concat(err).toString(),
      readerOutput: reader ? Buffer.concat(readerOut).toString() : null,
    };
  } finally {
    clearInterval(timer);
  }
}
