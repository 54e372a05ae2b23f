/**
 * `wirelens lab`: the lessons' lab on loopback in one command — SMTP, POP3, HTTP and FTP servers
 * (Mailpit's ports and the lessons' pari/ninja), a capture of their traffic when this user may
 * capture, and the app on the lab (inbox, "Type this"). Ctrl+C stops everything and keeps the capture.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AppProtocol } from '../../dissectors/app/types';
import type { LabCaptureState } from '../../api/engine-api';
import type { ParsedArgs } from '../cli/args';
import { single, UsageError } from '../cli/args';
import { startServer, type RunningServer } from '../server/server';
import { RENDERER_DIST } from '../shared/paths';
import { startLabCapture } from './lab-capture';
import { labExercises } from './lab-exercises';
import { LabEngine } from './lab-engine';
import { DEFAULT_LAB_PORTS, labCaptureFilter, portConflicts, type LabPorts } from './lab-ports';
import { LAB_LOGIN, LabPortError, LabServers, portError } from './lab-servers';

export const LAB_VALUE_KEYS = [
  'smtp',
  'smtps',
  'pop3',
  'pop3s',
  'http',
  'ftp',
  'ftp-pasv',
  'port',
  'dir',
] as const;

export const LAB_USAGE = `wirelens lab [--smtp N] [--smtps N] [--pop3 N] [--pop3s N] [--http N] [--ftp N] [--ftp-pasv FROM-TO]
             [--port N] [--dir DIR] [--no-open] [--no-capture]
  the lessons' lab on 127.0.0.1 (user pari, password ninja): SMTP 1025 (STARTTLS) and 1465 (TLS), POP3 1110 (STLS)
  and 1995 (TLS), HTTP 8080, FTP 2121 (passive 21000-21009), a capture of them all when this user may capture,
  and the app on http://127.0.0.1:8025 (--port) with the lab inbox and "Type this". Files in DIR (~/.wirelens/lab):
  the certificate, the TLS key log, the FTP files, and the capture, kept when Ctrl+C stops the lab.`;

function port(args: ParsedArgs, key: string, fallback: number): number {
  const text = single(args, key);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d{1,5}$/.test(text) || n < 1 || n > 65535)
    throw new UsageError(`--${key}: '${text}' is not a port number (1-65535)`);
  return n;
}

export function labPortsFrom(args: ParsedArgs): LabPorts {
  const d = DEFAULT_LAB_PORTS;
  const range = single(args, 'ftp-pasv');
  let ftpPassive = d.ftpPassive;
  if (range !== undefined) {
    const m = /^(\d{1,5})-(\d{1,5})$/.exec(range);
    const [min, max] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
    if (!m || min < 1024 || max > 65535 || max < min || max - min > 1000)
      throw new UsageError(
        `--ftp-pasv: '${range}' is not a port range like 21000-21009 (above 1023, at most 1000 ports)`,
      );
    ftpPassive = { min, max };
  }
  const ports: LabPorts = {
    smtp: port(args, 'smtp', d.smtp),
    smtps: port(args, 'smtps', d.smtps),
    pop3: port(args, 'pop3', d.pop3),
    pop3s: port(args, 'pop3s', d.pop3s),
    http: port(args, 'http', d.http),
    ftp: port(args, 'ftp', d.ftp),
    ftpPassive,
    app: port(args, 'port', d.app),
  };
  const conflict = portConflicts(ports);
  if (conflict) throw new UsageError(conflict);
  return ports;
}

function openBrowser(url: string): void {
  const [cmd, ...argv] =
    process.platform === 'darwin'
      ? ['open', url]
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '""', url]
        : ['xdg-open', url];
  try {
    const child = spawn(cmd, argv, { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined); // no browser opener here: the URL is printed anyway
    child.unref();
  } catch {
    // the URL is printed anyway
  }
}

function stamp(d = new Date()): string {
  return d.toISOString().replace(/\..*$/, '').replace(/[-:]/g, '').replace('T', '-');
}

export async function labCommand(args: ParsedArgs, out: NodeJS.WritableStream): Promise<number> {
  if (args.positionals.length)
    throw new UsageError(`lab takes no file (got '${args.positionals[0]}'):\n${LAB_USAGE}`);
  const ports = labPortsFrom(args);
  const dir = single(args, 'dir') ?? join(homedir(), '.wirelens', 'lab');
  let lab: LabServers;
  try {
    lab = await LabServers.start({ dir, ports });
  } catch (e) {
    if (e instanceof LabPortError) throw new UsageError(e.message);
    throw e;
  }
  const decodeAs = new Map<number, AppProtocol>([
    [ports.smtp, 'smtp'],
    [ports.pop3, 'pop3'],
    [ports.http, 'http'],
    [ports.ftp, 'ftp'],
    [ports.smtps, 'tls'],
    [ports.pop3s, 'tls'],
  ]);
  const engine = new LabEngine({ decodeAs });
  const filter = labCaptureFilter(ports);
  let capture: LabCaptureState = args.flags.has('no-capture')
    ? {
        state: 'failed',
        captureId: null,
        filter,
        iface: null,
        message: 'Capture is off: the lab was started with --no-capture.',
      }
    : await startLabCapture(engine, filter);
  engine.attachLab(lab, () => capture);
  let server: RunningServer | null = null;
  const uiBuilt = existsSync(join(RENDERER_DIST, 'index.html'));
  try {
    if (uiBuilt) {
      server = await startServer({
        engine,
        rendererRoot: RENDERER_DIST,
        port: ports.app,
        host: '127.0.0.1',
        captureFile: (id) => engine.captureFile(id),
      }).catch((e: NodeJS.ErrnoException) => {
        throw e.code ? portError(e, ports.app, "the app's page", '--port') : e;
      });
    }
  } catch (e) {
    await engine.close();
    await lab.close();
    throw e instanceof LabPortError ? new UsageError(e.message) : e;
  }

  const h = lab.host;
  out.write(
    `Wirelens lab on ${h} (user ${LAB_LOGIN.user}, password ${LAB_LOGIN.password}):\n` +
      `  SMTP  ${ports.smtp} (STARTTLS)  ${ports.smtps} (TLS)\n` +
      `  POP3  ${ports.pop3} (STLS)  ${ports.pop3s} (TLS)\n` +
      `  HTTP  ${ports.http}\n` +
      `  FTP   ${ports.ftp} (passive ${ports.ftpPassive.min}-${ports.ftpPassive.max})\n` +
      `TLS session keys: ${lab.keyLog.path}${lab.certificateMade ? `\nA new self-signed certificate: ${lab.certificatePath}` : ''}\n` +
      (capture.state === 'capturing'
        ? `Capturing on ${capture.iface} (${filter}).\n`
        : `${capture.message}\n`) +
      (server
        ? `Wirelens is serving the lab at ${server.url}\n`
        : "The app's page is not built here (run `npm run build:renderer`, then start the lab again); the servers run without it.\n") +
      `Try: ${labExercises(ports, h)[0].lines[0]}\n` +
      `Press Ctrl+C to stop${capture.state === 'capturing' ? ' (the capture is kept)' : ''}.\n`,
  );
  if (server && !args.flags.has('no-open')) openBrowser(server.url);

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  if (capture.state === 'capturing' && capture.captureId) {
    await engine.stopCapture(capture.captureId).catch(() => undefined);
    const file = engine.captureFile(capture.captureId);
    capture = { ...capture, state: 'stopped' };
    if (file && existsSync(file.path)) {
      const saved = join(dir, `lab-${stamp()}.pcapng`);
      copyFileSync(file.path, saved);
      out.write(
        `\nThe capture is saved: ${saved}\nOpen it, its TLS sessions decrypted with the lab's key log: wirelens serve ${saved} --keylog ${lab.keyLog.path}\n`,
      );
    }
  }
  await server?.close();
  await lab.close();
  await engine.close();
  return 0;
}
