import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../engine/engine';
import { tokenProblem } from '../../server/access-gate';
import { isLoopback, startServer, type ServeOptions } from '../../server/server';
import { RENDERER_DIST, SAMPLE_CAPTURE } from '../../shared/paths';
import type { ParsedArgs } from '../args';
import { single, UsageError } from '../args';
import { parseDecodeAs } from '../decode-as';
import { isBackendChoice } from '../../capture/capture-backend';
import { keyLogsFromArgs } from '../keylog-option';

/**
 * `wirelens serve [FILE] [--port N] [--host ADDR]`: browser mode on 127.0.0.1 (the sample lesson
 * when no FILE). `--live IFACE [-f BPF] [--backend auto|cap|dumpcap]` starts a live capture instead
 * and serves it as it grows. `--token T` sets the access secret (else one is made), `--dir DIR` lets
 * pages open files under DIR by path, `--share` shows captures a page opens to every page.
 */
export async function serveCommand(args: ParsedArgs, out: NodeJS.WritableStream): Promise<number> {
  if (!existsSync(join(RENDERER_DIST, 'index.html'))) {
    const inRepo = existsSync(join(RENDERER_DIST, '..', '..', 'renderer', 'vite.config.ts'));
    throw new UsageError(
      inRepo
        ? `the user interface is not built (${RENDERER_DIST} is missing): run 'npm run build' first, or 'npm run web'`
        : "browser mode is not available in this version yet (the UI is not written yet); use 'wirelens analyze FILE' or 'wirelens follow FILE ID'",
    );
  }
  const portText = single(args, 'port');
  const port = portText === undefined ? 8717 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: '${portText}' is not a port number`);
  const host = single(args, 'host') ?? '127.0.0.1';
  const token = single(args, 'token');
  const tokenError = token === undefined ? null : tokenProblem(token);
  if (tokenError) throw new UsageError(tokenError);
  const engine = new Engine({ decodeAs: parseDecodeAs(args.values.get('decode-as') ?? []), keyLogs: keyLogsFromArgs(args) });
  const live = single(args, 'live');
  if (live && args.positionals.length) throw new UsageError('serve: give either a FILE or --live IFACE, not both');
  const file = live ? undefined : (args.positionals[0] ?? (args.flags.has('empty') ? undefined : SAMPLE_CAPTURE));
  let serving = file ?? 'no capture';
  if (file) {
    if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
    await engine.openFile(file);
  }
  if (live) {
    const filter = single(args, 'f') ?? '';
    const backend = single(args, 'backend');
    if (backend !== undefined && !isBackendChoice(backend)) throw new UsageError(`--backend: '${backend}' is not one of auto, cap, dumpcap`);
    try {
      const info = await engine.startCapture({ iface: live, filter, backend });
      serving = `a live capture on ${live}${filter ? ` (filter '${filter}')` : ''}, written to ${engine.session(info.id).live?.file}`;
    } catch (e) {
      await engine.close();
      throw new UsageError((e as Error).message);
    }
  }
  let running;
  try {
    running = await startServer({ engine, rendererRoot: RENDERER_DIST, port, host, ...serveAccess(args, file) });
  } catch (e) {
    await engine.close();
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new UsageError(`port ${port} is already in use by another program (another \`wirelens serve\`?): stop it, or choose another port with --port N`);
    throw e;
  }
  out.write(`Wirelens is serving ${serving} at ${running.url}\n`);
  out.write(
    isLoopback(host)
      ? 'Only this URL opens the page (it carries an access token; other users of this machine do not have it).\n'
      : 'The server is reachable from the network: share the whole URL (it carries the access token).\n',
  );
  out.write('Press Ctrl+C to stop.\n');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
  await engine.close();
  return 0;
}

/** Who may open what: the FILE, files under `--dir`, uploads; the token; `--share`. */
function serveAccess(args: ParsedArgs, file: string | undefined): Pick<ServeOptions, 'token' | 'openableFiles' | 'openableDirs' | 'share'> {
  const dirs = args.values.get('dir') ?? [];
  for (const d of dirs) {
    let isDir = false;
    try {
      isDir = statSync(d).isDirectory();
    } catch {
      /* reported below */
    }
    if (!isDir) throw new UsageError(`--dir: '${d}' is not a folder`);
  }
  return { token: single(args, 'token'), openableFiles: file ? [file] : [], openableDirs: dirs, share: args.flags.has('share') };
}
