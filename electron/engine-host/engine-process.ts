/**
 * Entry of the engine's own process: Electron's utilityProcess in the desktop app
 * (`process.parentPort`), or a Node child process (`process.send`) in tests. Opening, indexing and
 * live capture run here, so the main process (menus, windows) never waits on a big file.
 */
import { Engine } from '../engine/engine';
import type { HostPort } from './host-port';
import { serveEngine } from './serve-engine';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

function parentPort(): HostPort {
  const pp = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (pp) return { post: (m) => pp.postMessage(m), onMessage: (l) => pp.on('message', (e) => l(e.data)) };
  if (process.send) return { post: (m) => process.send!(m), onMessage: (l) => process.on('message', l) };
  throw new Error('the engine process needs a parent to talk to (Electron utilityProcess or a Node child process)');
}

const engine = new Engine({});
serveEngine(engine, parentPort());
const shutdown = () => void engine.close().finally(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('disconnect', shutdown);
