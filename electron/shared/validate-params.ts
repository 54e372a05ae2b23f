/**
 * Argument checks for every EngineApi method, shared by the WebSocket server and the Electron
 * main process (IPC): types, ranges and lengths, so a hostile page cannot hand the engine junk.
 */
import type { EngineMethod } from '../../api/engine-api';

type Check = (v: unknown) => string | null;

const id: Check = (v) => (typeof v === 'string' && /^[\w-]{1,64}$/.test(v) ? null : 'capture id must be a short string');
const str = (max: number): Check => (v) => (typeof v === 'string' && v.length <= max ? null : `expected a string of at most ${max} characters`);
const int = (min: number, max: number): Check => (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? null : `expected an integer in ${min}..${max}`;
const obj: Check = (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? null : 'expected an object');

const SCHEMA: Record<EngineMethod, Check[]> = {
  listCaptures: [],
  openFile: [str(4096)],
  openUpload: [str(1024), str(800 * 1024 * 1024)],
  getStatus: [id],
  setFilter: [id, str(4096)],
  getPackets: [id, int(0, 2 ** 32), int(0, 10000)],
  getPacketDetail: [id, int(1, 2 ** 32)],
  getConnections: [id],
  getConnection: [id, int(0, 2 ** 31)],
  follow: [id, int(0, 2 ** 31)],
  getCredentials: [id],
  getAttachment: [id, int(0, 2 ** 31), int(0, 1e6), int(0, 1e6)],
  getTransfer: [id, int(0, 2 ** 31)],
  listInterfaces: [],
  startCapture: [obj],
  stopCapture: [id],
};

export function validateParams(
  method: EngineMethod,
  params: unknown,
): { ok: true; params: unknown[] } | { ok: false; error: string } {
  const checks = SCHEMA[method];
  if (!checks) return { ok: false, error: `unknown method '${method}'` };
  if (!Array.isArray(params)) return { ok: false, error: `${method}: params must be an array` };
  if (params.length !== checks.length) return { ok: false, error: `${method}: expected ${checks.length} argument(s), got ${params.length}` };
  for (let i = 0; i < checks.length; i++) {
    const err = checks[i](params[i]);
    if (err) return { ok: false, error: `${method}: argument ${i + 1}: ${err}` };
  }
  return { ok: true, params };
}
