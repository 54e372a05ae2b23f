/**
 * Argument checks for every EngineApi method, shared by the WebSocket server and the Electron
 * main process (IPC): types, ranges and lengths, so a hostile page cannot hand the engine junk.
 */
import { CAPTURE_BACKEND_CHOICES, DECODE_AS_PROTOCOLS, SORT_COLUMNS, UPLOAD_CHUNK_BYTES, type EngineMethod } from '../../api/engine-api';
import { isBackendChoice } from '../capture/capture-backend';
import { interfaceNameProblem } from '../capture/interface-name';

type Check = (v: unknown) => string | null;

const id: Check = (v) => (typeof v === 'string' && /^[\w-]{1,64}$/.test(v) ? null : 'capture id must be a short string');
const str = (max: number): Check => (v) => (typeof v === 'string' && v.length <= max ? null : `expected a string of at most ${max} characters`);
const int = (min: number, max: number): Check => (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? null : `expected an integer in ${min}..${max}`;
const uploadId: Check = (v) => (typeof v === 'string' && /^[0-9a-f]{32}$/.test(v) ? null : 'upload id must be the one beginUpload gave');
const obj: Check = (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? null : 'expected an object');

/** Live capture options: an interface name, an optional BPF filter, snaplen and backend, nothing else. */
const captureOptions: Check = (v) => {
  if (obj(v)) return obj(v);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['iface', 'filter', 'snaplen', 'promiscuous', 'backend'].includes(k)) return `unknown capture option '${k}'`;
  // The name's form here; the capture process also checks it is one the backend lists.
  const ifaceProblem = interfaceNameProblem(o.iface);
  if (ifaceProblem) return `iface: ${ifaceProblem}`;
  if (o.filter !== undefined && (typeof o.filter !== 'string' || o.filter.length > 2048 || /[\0\n\r]/.test(o.filter))) return 'filter must be one line of BPF';
  if (o.snaplen !== undefined && int(64, 262144)(o.snaplen)) return 'snaplen must be an integer in 64..262144';
  if (o.promiscuous !== undefined && typeof o.promiscuous !== 'boolean') return 'promiscuous must be true or false';
  if (o.backend !== undefined && !isBackendChoice(o.backend)) return `backend must be one of ${CAPTURE_BACKEND_CHOICES.join(', ')}`;
  return null;
};

/** Decode As rules: at most 64 {port 1..65535, protocol from the list}. */
const decodeAsRules: Check = (v) => {
  if (!Array.isArray(v) || v.length > 64) return 'expected a list of at most 64 rules';
  for (const r of v) {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) return 'each rule is {port, protocol}';
    const o = r as Record<string, unknown>;
    if (Object.keys(o).some((k) => k !== 'port' && k !== 'protocol')) return 'each rule is {port, protocol}';
    if (int(1, 65535)(o.port)) return 'port must be 1..65535';
    if (typeof o.protocol !== 'string' || !(DECODE_AS_PROTOCOLS as readonly string[]).includes(o.protocol)) return `protocol must be one of ${DECODE_AS_PROTOCOLS.join(', ')}`;
  }
  return null;
};

/** Export Specified Packets: {kind: all|displayed|marked} or {kind: range, first, last}. */
const packetSelection: Check = (v) => {
  if (obj(v)) return obj(v);
  const o = v as Record<string, unknown>;
  if (o.kind === 'all' || o.kind === 'displayed' || o.kind === 'marked') return Object.keys(o).length === 1 ? null : 'a selection is {kind}';
  if (o.kind !== 'range') return 'kind must be all, displayed, marked or range';
  if (Object.keys(o).some((k) => !['kind', 'first', 'last'].includes(k))) return 'a range is {kind, first, last}';
  return int(1, 2 ** 32)(o.first) ?? int(1, 2 ** 32)(o.last);
};

const SCHEMA: Record<EngineMethod, Check[]> = {
  listCaptures: [],
  openFile: [str(4096)],
  openUpload: [str(1024), str(800 * 1024 * 1024)],
  beginUpload: [str(1024), int(0, 2 ** 40)],
  uploadChunk: [uploadId, int(0, 2 ** 40), str(Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4)],
  endUpload: [uploadId],
  abortUpload: [uploadId],
  getStatus: [id],
  setFilter: [id, str(4096)],
  decodeAs: [id, decodeAsRules],
  loadKeyLog: [id, str(1024), str(64 * 1024 * 1024)],
  saveWithTlsKeys: [id],
  setSort: [id, (v) => (v === null || (typeof v === 'string' && (SORT_COLUMNS as readonly string[]).includes(v)) ? null : `column must be one of ${SORT_COLUMNS.join(', ')} or null`), (v) => (typeof v === 'boolean' ? null : 'expected true or false')],
  getPackets: [id, int(0, 2 ** 32), int(0, 10000)],
  getPacketDetail: [id, int(1, 2 ** 32)],
  rowOfFrame: [id, int(1, 2 ** 32)],
  getConnections: [id],
  getConnection: [id, int(0, 2 ** 31)],
  follow: [id, int(0, 2 ** 31)],
  getCredentials: [id],
  getAttachment: [id, int(0, 2 ** 31), int(0, 1e6), int(0, 1e6)],
  getTransfer: [id, int(0, 2 ** 31)],
  getExpertInfo: [id],
  listExportObjects: [id],
  getExportObject: [id, int(0, 2 ** 31)],
  exportPackets: [id, packetSelection, (v) => (v === 'pcap' || v === 'pcapng' ? null : 'format must be pcap or pcapng')],
  mergeCaptures: [(v) => (Array.isArray(v) && v.length >= 2 && v.length <= 16 && v.every((x) => id(x) === null) ? null : 'expected 2 to 16 capture ids')],
  setMarked: [id, (v) => (Array.isArray(v) && v.length <= 1_000_000 && v.every((f) => Number.isInteger(f) && f >= 1 && f <= 2 ** 32) ? null : 'expected a list of at most 1,000,000 frame numbers'), (v) => (typeof v === 'boolean' ? null : 'expected true or false')],
  setTimeReference: [id, int(1, 2 ** 32), (v) => (typeof v === 'boolean' ? null : 'expected true or false')],
  setPacketComment: [id, int(1, 2 ** 32), str(16000)],
  getPacketComments: [id],
  getStatistics: [id],
  getIoGraph: [id, (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 1e-6 && v <= 86400 ? null : 'interval must be 0.000001..86400 seconds'), (v) => (Array.isArray(v) && v.length <= 6 && v.every((f) => typeof f === 'string' && f.length <= 4096) ? null : 'expected at most 6 display filters')],
  getTcpStreamGraph: [id, int(0, 2 ** 31), (v) => (v === 'client' || v === 'server' ? null : 'direction must be client or server')],
  listInterfaces: [],
  startCapture: [captureOptions],
  stopCapture: [id],
  getLab: [],
  getLabMessage: [(v) => (typeof v === 'string' && /^[\w-]{1,64}$/.test(v) ? null : 'message uid must be a short string')],
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
