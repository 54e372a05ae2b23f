/**
 * `npm run bench [-- FILE ...] [--smoke] [--growth] [--live] [--ui] [--paths] [--runs N]`
 * Generates deterministic captures (or takes the given files) and times, in the same run, the
 * commands themselves: `wirelens analyze FILE --json` as a process with its output read through a
 * pipe by another process (as `| jq` reads it) and to /dev/null, the in-process engine harness
 * ("engine only"), tshark's full single pass (`tshark -r F -q -z conv,tcp`, empty configuration
 * directory) and a bare JavaScript framing loop. Each tool is warmed once, then run N times (3 by
 * default) interleaved; medians of time and peak RSS, and the ratios, are printed.
 */
import { spawnSync } from 'node:child_process';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SHAPE, generateCapture } from './generate-capture';
import { measure, measureInto, type Measurement } from './measure';
import { checkTruth, type StreamDigest } from './truth-check';
import type { CaptureBackend } from '../electron/capture/capture-backend';
import {
  OFFLOAD_MIN_BYTES,
  offloadFor,
  PARALLEL_MIN_BYTES,
  workersFor,
} from '../electron/engine/load-capture';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    smoke: { type: 'boolean', default: false },
    growth: { type: 'boolean', default: false },
    live: { type: 'boolean', default: false },
    ui: { type: 'boolean', default: false },
    paths: { type: 'boolean', default: false },
    runs: { type: 'string' },
  },
});

const root = new URL('..', import.meta.url).pathname;
const workDir = process.env.WIRELENS_BENCH_DIR ?? '/tmp/wirelens-bench';
const node = process.execPath;

function generated(sizeMb: number, format: 'pcap' | 'pcapng'): string {
  mkdirSync(workDir, { recursive: true });
  const out = join(workDir, `bench-${sizeMb}mb-seed1.${format}`);
  if (!existsSync(out) || !existsSync(`${out}.truth.json`)) {
    const t = performance.now();
    const r = generateCapture({
      out,
      format,
      sizeMb,
      seed: '1',
      concurrency: 200,
      shape: DEFAULT_SHAPE,
      quiet: true,
    });
    writeTruth(out, r);
    console.log(
      `generated ${out} (${(statSync(out).size / 1048576).toFixed(0)} MiB, ${r.packets} packets) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  }
  return out;
}

function writeTruth(out: string, r: ReturnType<typeof generateCapture>): void {
  // Same sidecar shape as the CLI generator writes.
  writeFileSync(
    `${out}.truth.json`,
    JSON.stringify({
      generator: 'wirelens bench/generate-capture.ts',
      seed: '1',
      packets: r.packets,
      bytes: r.bytes,
      streams: r.streams,
    }),
  );
}

function hasTshark(): boolean {
  return spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
}

const fmt = (n: number, d = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

interface Figures {
  ms: number;
  rssMb: number;
}

/** One tool the benchmark times, as a command: each run's time and peak memory, and what to check. */
interface Tool {
  name: string;
  run(): Promise<Figures>;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface AnalyzeFigures {
  packets: number;
  connections: number;
  ms: number;
  maxRssMb: number;
  truthStreams: number;
  truthMatched: number;
  ladderEvents: number;
}

/** The in-process harness (engine only: no CLI start-up, no JSON written), with the truth check outside the measured process. */
async function engineOnly(
  file: string,
  workers?: string,
  offload?: '0',
): Promise<{ m: Measurement; w: AnalyzeFigures }> {
  const env = { ...process.env };
  if (workers === undefined) delete env.WIRELENS_WORKERS;
  else env.WIRELENS_WORKERS = workers;
  if (offload === undefined) delete env.WIRELENS_OFFLOAD;
  else env.WIRELENS_OFFLOAD = offload;
  const digestsFile = join(tmpdir(), `wirelens-bench-digests-${process.pid}.json`);
  const m = await measure(node, [join(root, 'dist/bench/analyze-file.mjs'), file, digestsFile], env);
  if (m.exitCode !== 0) throw new Error(`wirelens analysis failed: ${m.stderr}`);
  const figures = JSON.parse(m.stdout.trim().split('\n').pop()!) as Omit<
    AnalyzeFigures,
    'truthStreams' | 'truthMatched'
  >;
  const digests = JSON.parse(readFileSync(digestsFile, 'utf8')) as StreamDigest[];
  rmSync(digestsFile, { force: true });
  return { m, w: { ...figures, ...checkTruth(file, digests) } };
}

/** tshark with a fresh, empty configuration directory, so preferences or profiles left by other runs cannot slow it. */
const tsharkEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  WIRESHARK_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'wirelens-bench-tshark-')),
});

async function benchFile(file: string, tshark: boolean, runs: number): Promise<void> {
  const mb = statSync(file).size / 1048576;
  console.log(`\n== ${file} (${fmt(mb, 1)} MiB)`);
  // Read once untimed, so every tool below reads it from the page cache.
  for await (const chunk of createReadStream(file, { highWaterMark: 4 * 1024 * 1024 })) void chunk;
  const cli = join(root, 'bin/wirelens.mjs');
  const reader = { cmd: node, args: [join(root, 'bench/json-reader.mjs')] };
  let framed = 0;
  const readerSaw = new Set<string>();
  let engine: AnalyzeFigures | null = null;
  const cliEnv = { ...process.env };
  delete cliEnv.WIRELENS_WORKERS;
  delete cliEnv.WIRELENS_OFFLOAD;
  const tools: Tool[] = [
    {
      name: 'framing loop (JS)',
      run: async () => {
        const m = await measure(node, [join(root, 'dist/bench/framing-loop.mjs'), file]);
        framed = (JSON.parse(m.stdout) as { packets: number }).packets;
        return { ms: m.ms, rssMb: m.peakRssMb };
      },
    },
    {
      name: 'analyze --json | reader',
      run: async () => {
        const m = await measureInto(node, [cli, 'analyze', file, '--json'], { reader }, cliEnv);
        if (m.exitCode !== 0) throw new Error(`wirelens analyze failed: ${m.stderr}`);
        readerSaw.add(m.readerOutput!.trim());
        return { ms: m.ms, rssMb: m.peakRssMb };
      },
    },
    {
      name: 'analyze --json > /dev/null',
      run: async () => {
        const m = await measureInto(node, [cli, 'analyze', file, '--json'], 'devnull', cliEnv);
        if (m.exitCode !== 0) throw new Error(`wirelens analyze failed: ${m.stderr}`);
        return { ms: m.ms, rssMb: m.peakRssMb };
      },
    },
    {
      name: 'engine only (harness)',
      run: async () => {
        const { m, w } = await engineOnly(file);
        engine = w;
        return { ms: m.ms, rssMb: Math.max(m.peakRssMb, w.maxRssMb) };
      },
    },
  ];
  if (tshark) {
    tools.push({
      name: 'tshark -q -z conv,tcp',
      run: async () => {
        const env = tsharkEnv();
        try {
          const m = await measure('tshark', ['-r', file, '-q', '-z', 'conv,tcp'], env);
          if (m.exitCode !== 0) throw new Error(`tshark failed: ${m.stderr}`);
          return { ms: m.ms, rssMb: m.peakRssMb };
        } finally {
          rmSync(env.WIRESHARK_CONFIG_DIR!, { recursive: true, force: true });
        }
      },
    });
  }
  // Each tool once untimed (warm), then `runs` interleaved rounds: medians.
  for (const t of tools) await t.run();
  const got = new Map<string, Figures[]>(tools.map((t) => [t.name, []]));
  for (let r = 0; r < runs; r++) for (const t of tools) got.get(t.name)!.push(await t.run());
  const med = new Map<string, Figures>();
  console.log(
    `${'tool'.padEnd(28)} ${'time s (median)'.padStart(15)} ${'runs'.padStart(22)} ${'MB/s'.padStart(7)} ${'peak RSS MB'.padStart(12)}`,
  );
  for (const t of tools) {
    const f = got.get(t.name)!;
    const m = { ms: median(f.map((x) => x.ms)), rssMb: median(f.map((x) => x.rssMb)) };
    med.set(t.name, m);
    const each = f.map((x) => fmt(x.ms / 1000, 2)).join(' ');
    console.log(
      `${t.name.padEnd(28)} ${fmt(m.ms / 1000, 2).padStart(15)} ${each.padStart(22)} ${fmt(mb / (m.ms / 1000), 0).padStart(7)} ${fmt(m.rssMb).padStart(12)}`,
    );
  }
  const e = engine as AnalyzeFigures | null;
  if (e)
    console.log(
      `${fmt(e.packets)} packets (framing loop: ${fmt(framed)}), ${fmt(e.connections)} connections, ${fmt(e.ladderEvents)} ladder events; truth streams matched ${e.truthMatched}/${e.truthStreams}`,
    );
  console.log(
    `the reader got: ${[...readerSaw].join('; ')}${readerSaw.size === 1 ? ' (the same in every run)' : ' (DIFFERENT between runs)'}`,
  );
  const piped = med.get('analyze --json | reader')!;
  const toFile = med.get('analyze --json > /dev/null')!;
  const harness = med.get('engine only (harness)')!;
  const loop = med.get('framing loop (JS)')!;
  console.log(
    `vs the framing loop: piped ${fmt(piped.ms / loop.ms, 2)}×, engine only ${fmt(harness.ms / loop.ms, 2)}×`,
  );
  const ts = med.get('tshark -q -z conv,tcp');
  if (ts) {
    console.log(
      `vs tshark: piped ${fmt(ts.ms / piped.ms, 2)}× faster, memory ${fmt(piped.rssMb / ts.rssMb, 3)}; to /dev/null ${fmt(ts.ms / toFile.ms, 2)}×, memory ${fmt(toFile.rssMb / ts.rssMb, 3)}; engine only ${fmt(ts.ms / harness.ms, 2)}×`,
    );
  } else
    console.log(
      'tshark not installed: tshark comparison skipped (install it with scripts/install-system-deps.sh)',
    );
  if (values.paths) await benchPaths(file);
}

/** --paths: the analysis paths the default did not take, forced (one run each, engine only). */
async function benchPaths(file: string): Promise<void> {
  const threads = Math.max(2, Math.min(availableParallelism() - 1, 4));
  const parallel = workersFor(statSync(file).size, {}) > 1;
  const helped = !parallel && offloadFor(statSync(file).size, {}, 0);
  const how = parallel
    ? `${threads} worker threads (the default from ${PARALLEL_MIN_BYTES / 1048576} MiB on 3+ cores)`
    : helped
      ? `one thread and a helper thread (the default from ${OFFLOAD_MIN_BYTES / 1048576} MiB on 2 cores)`
      : `one thread (the default below ${OFFLOAD_MIN_BYTES / 1048576} MiB)`;
  console.log(`the default path here: ${how}; forced, engine only, one run each:`);
  const forced: Array<[string, string | undefined, '0' | undefined]> = [];
  if (helped) forced.push(['one thread, no helper', undefined, '0']);
  forced.push(parallel ? ['one thread', '0', undefined] : [`${threads} workers`, String(threads), undefined]);
  for (const [name, workers, offload] of forced) {
    const { m, w } = await engineOnly(file, workers, offload);
    console.log(
      `  ${name.padEnd(24)} ${fmt(m.ms / 1000, 2)} s, ${fmt(Math.max(m.peakRssMb, w.maxRssMb))} MB; truth ${w.truthMatched}/${w.truthStreams}`,
    );
  }
}

async function main(): Promise<void> {
  // Measure plain JavaScript, as a built package runs, not TypeScript compiled at start-up.
  if (spawnSync(node, [join(root, 'scripts/build-bench.mjs')], { stdio: 'inherit' }).status !== 0)
    throw new Error('building the benchmark bundle failed');
  // The command users run: bin/wirelens.mjs runs this bundle (it is newer than the sources now).
  if (spawnSync(node, [join(root, 'scripts/build-cli.mjs')], { stdio: 'inherit' }).status !== 0)
    throw new Error('building the command line bundle failed');
  console.log(
    `machine: ${cpus()[0]?.model ?? '?'} × ${cpus().length}, ${fmt(totalmem() / 2 ** 30, 0)} GiB RAM, node ${process.version}, ${new Date().toISOString()}`,
  );
  const tshark = hasTshark();
  if (tshark)
    console.log(
      `peer: ${spawnSync('tshark', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]} (run with an empty WIRESHARK_CONFIG_DIR)`,
    );
  const runs = Math.max(1, Number(values.runs ?? (values.smoke ? 1 : 3)));
  console.log(
    `each tool warmed once, then ${runs} interleaved run${runs === 1 ? '' : 's'}; the medians are shown`,
  );
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
  if (!(values.live && positionals.length === 0 && !values.smoke))
    for (const f of files) await benchFile(f, tshark, runs);
  if (values.live || values.smoke || positionals.length === 0)
    await benchLive(
      values.smoke
        ? [[20000, 20000]]
        : [
            [300000, 50000],
            [300000, 100000],
            [300000, 150000],
            [300000, 0],
          ],
    );
}

/** Live capture bursts on lo with each backend this machine has (needs capture rights; skipped with a note otherwise). */
async function benchLive(bursts: Array<[count: number, rate: number]>): Promise<void> {
  const { loadCap } = await import('../electron/capture/load-cap');
  const { findDumpcap } = await import('../electron/capture/capture-backend');
  const backends: CaptureBackend[] = [
    ...(loadCap().ok ? (['cap'] as const) : []),
    ...(findDumpcap() ? (['dumpcap'] as const) : []),
  ];
  if (backends.length === 0 || process.getuid?.() !== 0) {
    console.log(
      `\nlive capture burst skipped: ${backends.length ? 'needs root (or the capture capabilities)' : 'neither the native cap module nor dumpcap is there'}`,
    );
    return;
  }
  const { liveBurst } = await import('./live-burst');
  console.log(
    "\n== live capture on lo: UDP bursts (64-byte payloads), Wirelens and tcpdump capturing at the same time (tcpdump in the backend's libpcap mode)",
  );
  console.log(
    `${'backend'.padEnd(8)} ${'target pps'.padStart(10)} ${'sent'.padStart(8)} ${'sent pps'.padStart(9)} ${'wirelens'.padStart(9)} ${'lost'.padStart(6)} ${'drops'.padStart(6)} ${'updates/s'.padStart(10)} ${'index lag ms'.padStart(13)} ${'tcpdump'.padStart(8)} ${'lost'.padStart(6)} ${'kernel drops'.padStart(13)}`,
  );
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
    "lost = sent − captured; drops = the kernel drops dumpcap reports (cap exposes no pcap_stats); tcpdump runs in the backend's mode: immediate mode and the same ring with cap, block mode with dumpcap; " +
      `sender: ${last?.sender === 'tcpreplay' ? 'tcpreplay (exact rate; max = --topspeed)' : 'Node dgram (install tcpreplay for exact rates)'}`,
  );
}

await main();
