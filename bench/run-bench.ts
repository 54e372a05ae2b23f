/**
 * `npm run bench [-- FILE ...] [--smoke] [--growth] [--live] [--ui]`
 * Generates deterministic captures (or takes the given files) and measures, in the same run:
 * Wirelens's full analysis, tshark's full single pass (`tshark -r F -q -z conv,tcp`) and a bare
 * JavaScript framing loop. Prints MB/s, packets/s, peak RSS and the ratios.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SHAPE, generateCapture } from './generate-capture';
import { measure, type Measurement } from './measure';
import { checkTruth, type StreamDigest } from './truth-check';
import type { CaptureBackend } from '../electron/capture/capture-backend';
import { OFFLOAD_MIN_BYTES, offloadFor, PARALLEL_MIN_BYTES, workersFor } from '../electron/engine/load-capture';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { smoke: { type: 'boolean', default: false }, growth: { type: 'boolean', default: false }, live: { type: 'boolean', default: false }, ui: { type: 'boolean', default: false } },
});

const root = new URL('..', import.meta.url).pathname;
const workDir = process.env.WIRELENS_BENCH_DIR ?? '/tmp/wirelens-bench';
const node = process.execPath;

function generated(sizeMb: number, format: 'pcap' | 'pcapng'): string {
  mkdirSync(workDir, { recursive: true });
  const out = join(workDir, `bench-${sizeMb}mb-seed1.${format}`);
  if (!existsSync(out) || !existsSync(`${out}.truth.json`)) {
    const t = performance.now();
    const r = generateCapture({ out, format, sizeMb, seed: '1', concurrency: 200, shape: DEFAULT_SHAPE, quiet: true });
    writeTruth(out, r);
    console.log(`generated ${out} (${(statSync(out).size / 1048576).toFixed(0)} MiB, ${r.packets} packets) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  return out;
}

function writeTruth(out: string, r: ReturnType<typeof generateCapture>): void {
  // Same sidecar shape as the CLI generator writes.
  writeFileSync(`${out}.truth.json`, JSON.stringify({ generator: 'wirelens bench/generate-capture.ts', seed: '1', packets: r.packets, bytes: r.bytes, streams: r.streams }));
}

function hasTshark(): boolean {
  return spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
}

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

interface Row {
  name: string;
  m: Measurement;
  packets: number;
  rssMb: number;
}

async function benchFile(file: string, tshark: boolean): Promise<void> {
  const mb = statSync(file).size / 1048576;
  console.log(`\n== ${file} (${fmt(mb, 1)} MiB)`);
  const rows: Row[] = [];
  // Read once untimed, so every tool below reads it from the page cache (the first one measured
  // used to pay for the disk: the framing loop once took 2.9 s instead of 0.4 s).
  for await (const chunk of createReadStream(file, { highWaterMark: 4 * 1024 * 1024 })) void chunk;
  const frame = await measure(node, [join(root, 'dist/bench/framing-loop.mjs'), file]);
  const framed = JSON.parse(frame.stdout) as { packets: number };
  rows.push({ name: 'framing loop (JS)', m: frame, packets: framed.packets, rssMb: frame.peakRssMb });
  interface AnalyzeFigures {
    packets: number;
    connections: number;
    ms: number;
    maxRssMb: number;
    truthStreams: number;
    truthMatched: number;
    ladderEvents: number;
  }
  // The default (one thread, with a helper thread for stream digests and MIME from 32 MiB on 2+
  // cores; worker threads for files of 256 MiB or more on 3+ cores) and the other paths forced.
  const analyze = async (workers: string | undefined, offload?: '0'): Promise<{ m: Measurement; w: AnalyzeFigures }> => {
    const env = { ...process.env };
    if (workers === undefined) delete env.WIRELENS_WORKERS;
    else env.WIRELENS_WORKERS = workers;
    if (offload === undefined) delete env.WIRELENS_OFFLOAD;
    else env.WIRELENS_OFFLOAD = offload;
    // The stream digests are checked against the truth sidecar here, outside the measured process.
    const digestsFile = join(tmpdir(), `wirelens-bench-digests-${process.pid}.json`);
    const m = await measure(node, [join(root, 'dist/bench/analyze-file.mjs'), file, digestsFile], env);
    if (m.exitCode !== 0) throw new Error(`wirelens analysis failed: ${m.stderr}`);
    const figures = JSON.parse(m.stdout.trim().split('\n').pop()!) as Omit<AnalyzeFigures, 'truthStreams' | 'truthMatched'>;
    const digests = JSON.parse(readFileSync(digestsFile, 'utf8')) as StreamDigest[];
    rmSync(digestsFile, { force: true });
    return { m, w: { ...figures, ...checkTruth(file, digests) } };
  };
  const { m: wl, w } = await analyze(undefined);
  rows.push({ name: 'wirelens analyze', m: wl, packets: w.packets, rssMb: Math.max(wl.peakRssMb, w.maxRssMb) });
  const threads = Math.max(2, Math.min(availableParallelism() - 1, 4));
  const parallel = workersFor(statSync(file).size, {}) > 1;
  const helped = !parallel && offloadFor(statSync(file).size, {}, 0);
  let alone: { m: Measurement; w: AnalyzeFigures } | null = null;
  if (helped) {
    // What the helper thread gains, in the same run.
    alone = await analyze(undefined, '0');
    rows.push({ name: 'wirelens, no helper', m: alone.m, packets: alone.w.packets, rssMb: Math.max(alone.m.peakRssMb, alone.w.maxRssMb) });
  }
  // The path the default did not take, forced.
  const other = await analyze(parallel ? '0' : String(threads));
  const otherName = parallel ? 'wirelens, one thread' : `wirelens, ${threads} workers`;
  rows.push({ name: otherName, m: other.m, packets: other.w.packets, rssMb: Math.max(other.m.peakRssMb, other.w.maxRssMb) });
  let ts: Row | null = null;
  if (tshark) {
    const t = await measure('tshark', ['-r', file, '-q', '-z', 'conv,tcp']);
    ts = { name: 'tshark -z conv,tcp', m: t, packets: framed.packets, rssMb: t.peakRssMb };
    rows.push(ts);
  }
  console.log(`${'tool'.padEnd(22)} ${'time s'.padStart(8)} ${'MB/s'.padStart(9)} ${'packets/s'.padStart(12)} ${'peak RSS MB'.padStart(12)}`);
  for (const r of rows) {
    const s = r.m.ms / 1000;
    console.log(`${r.name.padEnd(22)} ${fmt(s, 2).padStart(8)} ${fmt(mb / s, 0).padStart(9)} ${fmt(r.packets / s).padStart(12)} ${fmt(r.rssMb).padStart(12)}`);
  }
  const wRow = rows[1];
  const oRow = rows.find((r) => r.name === otherName)!;
  const how = parallel
    ? `${threads} worker threads (the default from ${PARALLEL_MIN_BYTES / 1048576} MiB on 3+ cores)`
    : helped
      ? `one thread and a helper thread for the hashes, MIME parsing and plain-HTTP connections (the default from ${OFFLOAD_MIN_BYTES / 1048576} MiB on 2 cores)`
      : `one thread (the default below ${OFFLOAD_MIN_BYTES / 1048576} MiB)`;
  console.log(`wirelens analyze used ${how}: ${fmt(w.packets)} packets, ${fmt(w.connections)} connections, ${fmt(w.ladderEvents)} ladder events; truth streams matched ${w.truthMatched}/${w.truthStreams} (${otherName}: ${other.w.truthMatched}/${other.w.truthStreams}, ${fmt(other.w.ladderEvents)} ladder events)`);
  if (alone) console.log(`helper thread: ${fmt(alone.m.ms / wRow.m.ms, 2)}× faster than one thread alone (${fmt(alone.m.ms / 1000, 2)} s → ${fmt(wRow.m.ms / 1000, 2)} s)`);
  console.log(`ratio wirelens/framing time: ${fmt(wRow.m.ms / frame.ms, 2)}× (${otherName}: ${fmt(oRow.m.ms / frame.ms, 2)}×)`);
  if (ts) {
    console.log(`ratio throughput wirelens/tshark: ${fmt(ts.m.ms / wRow.m.ms, 2)}× (${otherName}: ${fmt(ts.m.ms / oRow.m.ms, 2)}×); peak memory wirelens/tshark: ${fmt(wRow.rssMb / ts.rssMb, 3)} (${otherName}: ${fmt(oRow.rssMb / ts.rssMb, 3)})`);
  } else console.log('tshark not installed: tshark comparison skipped (install it with scripts/install-system-deps.sh)');
}

async function main(): Promise<void> {
  // Measure plain JavaScript, as a built package runs, not TypeScript compiled at start-up.
  if (spawnSync(node, [join(root, 'scripts/build-bench.mjs')], { stdio: 'inherit' }).status !== 0) throw new Error('building the benchmark bundle failed');
  console.log(`machine: ${cpus()[0]?.model ?? '?'} × ${cpus().length}, ${fmt(totalmem() / 2 ** 30, 0)} GiB RAM, node ${process.version}, ${new Date().toISOString()}`);
  const tshark = hasTshark();
  let files = positionals;
  if (files.length === 0 && !values.live && !values.ui) {
    if (values.smoke) files = [generated(20, 'pcap')];
    else {
      files = [generated(100, 'pcap'), generated(1024, 'pcap'), generated(1024, 'pcapng')];
      if (values.growth) files.push(generated(4096, 'pcap'));
    }
  }
  if (values.ui) {
    // --ui: only the UI figures, on the given file or the 1 GiB standard file.
    const { uiBench, printUi } = await import('./ui-bench');
    printUi(await uiBench(positionals[0] ?? generated(1024, 'pcap'), workDir));
    return;
  }
  // --live alone: only the capture bursts.
  if (!(values.live && positionals.length === 0 && !values.smoke)) for (const f of files) await benchFile(f, tshark);
  if (values.live || values.smoke || positionals.length === 0) await benchLive(values.smoke ? [[20000, 20000]] : [[300000, 50000], [300000, 100000], [300000, 150000], [300000, 0]]);
}

/** Live capture bursts on lo with each backend this machine has (needs capture rights; skipped with a note otherwise). */
async function benchLive(bursts: Array<[count: number, rate: number]>): Promise<void> {
  const { loadCap } = await import('../electron/capture/load-cap');
  const { findDumpcap } = await import('../electron/capture/capture-backend');
  const backends: CaptureBackend[] = [...(loadCap().ok ? (['cap'] as const) : []), ...(findDumpcap() ? (['dumpcap'] as const) : [])];
  if (backends.length === 0 || process.getuid?.() !== 0) {
    console.log(`\nlive capture burst skipped: ${backends.length ? 'needs root (or the capture capabilities)' : 'neither the native cap module nor dumpcap is there'}`);
    return;
  }
  const { liveBurst } = await import('./live-burst');
  console.log('\n== live capture on lo: UDP bursts (64-byte payloads), Wirelens and tcpdump capturing at the same time (tcpdump in the backend\'s libpcap mode)');
  console.log(`${'backend'.padEnd(8)} ${'target pps'.padStart(10)} ${'sent'.padStart(8)} ${'sent pps'.padStart(9)} ${'wirelens'.padStart(9)} ${'lost'.padStart(6)} ${'drops'.padStart(6)} ${'updates/s'.padStart(10)} ${'index lag ms'.padStart(13)} ${'tcpdump'.padStart(8)} ${'lost'.padStart(6)} ${'kernel drops'.padStart(13)}`);
  let last: Awaited<ReturnType<typeof liveBurst>> | undefined;
  for (const [count, rate] of bursts) {
    for (const backend of backends) {
      const r = await liveBurst(count, rate, backend);
      last = r;
      const t = r.tcpdump;
      const w = r.wirelens;
      console.log(
        `${backend.padEnd(8)} ${(rate ? fmt(rate) : 'max').padStart(10)} ${fmt(r.sent).padStart(8)} ${fmt(r.sent / (r.sendMs / 1000)).padStart(9)} ${fmt(w.captured).padStart(9)} ${fmt(w.lost).padStart(6)} ${(w.kernelDropped === null ? '-' : fmt(w.kernelDropped)).padStart(6)} ${fmt(w.updatesPerSecond, 1).padStart(10)} ${fmt(w.indexLagMs).padStart(13)} ${(t ? fmt(t.captured) : '-').padStart(8)} ${(t ? fmt(t.lost) : '-').padStart(6)} ${(t ? fmt(t.kernelDropped) : '-').padStart(13)}`,
      );
    }
  }
  console.log(
    'lost = sent − captured; drops = the kernel drops dumpcap reports (cap exposes no pcap_stats); tcpdump runs in the backend\'s mode: immediate mode and the same ring with cap, block mode with dumpcap; ' +
      `sender: ${last?.sender === 'tcpreplay' ? 'tcpreplay (exact rate; max = --topspeed)' : 'Node dgram (install tcpreplay for exact rates)'}`,
  );
}

await main();
