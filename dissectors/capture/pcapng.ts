/**
 * pcapng: sections of either byte order (several per file; interface ids restart in each),
 * interfaces with their own link type, snaplen, if_tsresol and if_tsoffset; Enhanced, Simple and
 * obsolete Packet Blocks; Interface Statistics Blocks (what the capturing program counted, e.g.
 * the kernel's drops); Decryption Secrets Blocks (TLS key logs embedded by `editcap --inject-secrets`),
 * handed to the reader's onSecrets. Unknown blocks and options are skipped; comments are kept.
 */
import { diag } from '../model/diagnostic';
import { splitTimestamp, unitsFromTsresol, type SecNsec } from './timestamps';
import type { CaptureInterface, CaptureRecord, InterfaceStatistics } from './types';
import { MAX_UNIT_BYTES, newSummary, noteDiagnostic, noteLinkType, type RecordSink, type UnitParser } from './unit-parser';

export const PCAPNG_SHB = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const IDB = 1;
const OBSOLETE_PB = 2;
const SPB = 3;
const ISB = 5;
const EPB = 6;
const DSB = 10;
/** DSB secrets type of a TLS key log (NSS SSLKEYLOGFILE text), 'TLSK'. */
export const DSB_TLS_KEY_LOG = 0x544c534b;
/** ISB options: 64-bit counters. */
const ISB_COUNTERS: Record<number, keyof InterfaceStatistics> = { 4: 'received', 5: 'dropped', 6: 'filterAccepted', 7: 'osDropped', 8: 'delivered' };
const OPT_COMMENT = 1;

const utf8 = new TextDecoder('utf-8', { fatal: false });

export class PcapngParser implements UnitParser {
  readonly summary = newSummary('pcapng');
  private le = true;
  /** Interfaces of the current section (global index into summary.interfaces). */
  private section: number[] = [];
  private frame = 0;
  private readonly ts: SecNsec = { sec: 0, nsec: 0 };
  private readonly rec: CaptureRecord = {
    frame: 0, fileOffset: 0, capLen: 0, origLen: 0, tsSec: 0, tsNsec: 0, linkType: 0, interfaceId: 0, data: new Uint8Array(0),
  };

  constructor(
    private readonly sink: RecordSink,
    private readonly onSecrets?: (secretsType: number, data: Uint8Array) => void,
  ) {}

  headerBytes(): number {
    return 12;
  }

  unitLength(_buf: Uint8Array, dv: DataView, pos: number): number {
    const type = dv.getUint32(pos, true);
    if (type === PCAPNG_SHB) {
      const bom = dv.getUint32(pos + 8, true);
      if (bom === BYTE_ORDER_MAGIC) this.le = true;
      else if (bom === 0x4d3c2b1a) this.le = false;
      else return this.fail('pcapng.section.byte_order_invalid', `section header at this offset has byte-order magic 0x${bom.toString(16)}`);
    }
    const len = dv.getUint32(pos + 4, this.le);
    if (len < 12 || len % 4 !== 0)
      return this.fail('pcapng.block.length_invalid', `block of type 0x${dv.getUint32(pos, this.le).toString(16)} has length ${len} (must be a multiple of 4, at least 12)`);
    if (len > MAX_UNIT_BYTES)
      return this.fail('pcapng.block.length_invalid', `block claims ${len} bytes (more than ${MAX_UNIT_BYTES})`);
    return len;
  }

  private fail(code: string, message: string): number {
    this.summary.truncated = true;
    this.summary.diagnostics.push(diag(code, 'error', 'malformed', `${message}; the rest of the file cannot be read`));
    return -1;
  }

  parseUnit(buf: Uint8Array, dv: DataView, pos: number, len: number, fileOffset: number): void {
    const type = dv.getUint32(pos, this.le);
    if (dv.getUint32(pos + len - 4, this.le) !== len)
      noteDiagnostic(this.summary, diag('pcapng.block.trailer_mismatch', 'warn', 'malformed', `block at offset ${fileOffset}: trailing length differs from leading length`));
    switch (type) {
      case EPB:
        return this.packet(buf, dv, pos, len, fileOffset, dv.getUint32(pos + 8, this.le), 28, true);
      case OBSOLETE_PB:
        return this.packet(buf, dv, pos, len, fileOffset, dv.getUint16(pos + 8, this.le), 28, true);
      case SPB:
        return this.simplePacket(buf, dv, pos, len, fileOffset);
      case IDB:
        return this.interfaceBlock(buf, dv, pos, len);
      case ISB:
        return this.statisticsBlock(buf, dv, pos, len, fileOffset);
      case PCAPNG_SHB:
        return this.sectionHeader(buf, dv, pos, len);
      case DSB:
        return this.secretsBlock(buf, dv, pos, len, fileOffset);
      default:
        return; // name resolution, custom: not needed
    }
  }

  private sectionHeader(buf: Uint8Array, dv: DataView, pos: number, len: number): void {
    this.summary.sections++;
    this.section = [];
    if (len < 28) return;
    this.options(buf, dv, pos + 24, pos + len - 4, (code, at, n) => {
      if (code === OPT_COMMENT) this.summary.comments.push(utf8.decode(buf.subarray(at, at + n)));
    });
  }

  private interfaceBlock(buf: Uint8Array, dv: DataView, pos: number, len: number): void {
    if (len < 20) {
      noteDiagnostic(this.summary, diag('pcapng.interface.truncated', 'error', 'malformed', 'interface description block shorter than 20 bytes'));
      return;
    }
    const iface: CaptureInterface = {
      linkType: dv.getUint16(pos + 8, this.le),
      snapLen: dv.getUint32(pos + 12, this.le),
      tsUnitsPerSec: 1e6,
      tsOffsetSec: 0,
    };
    this.options(buf, dv, pos + 16, pos + len - 4, (code, at, n) => {
      if (code === 2) iface.name = utf8.decode(buf.subarray(at, at + n));
      else if (code === 3) iface.description = utf8.decode(buf.subarray(at, at + n));
      else if (code === 9 && n >= 1) {
        const units = unitsFromTsresol(buf[at]);
        if (units) iface.tsUnitsPerSec = units;
        else noteDiagnostic(this.summary, diag('pcapng.interface.tsresol_invalid', 'warn', 'malformed', `if_tsresol ${buf[at]} not usable; microseconds assumed`));
      } else if (code === 14 && n >= 8) {
        const hi = dv.getInt32(at + (this.le ? 4 : 0), this.le);
        const lo = dv.getUint32(at + (this.le ? 0 : 4), this.le);
        iface.tsOffsetSec = hi * 4294967296 + lo;
      }
    });
    this.section.push(this.summary.interfaces.length);
    this.summary.interfaces.push(iface);
    noteLinkType(this.summary, iface.linkType);
  }

  private statisticsBlock(buf: Uint8Array, dv: DataView, pos: number, len: number, fileOffset: number): void {
    if (len < 24) {
      noteDiagnostic(this.summary, diag('pcapng.statistics.truncated', 'warn', 'malformed', `interface statistics block at offset ${fileOffset} shorter than 24 bytes`));
      return;
    }
    const localId = dv.getUint32(pos + 8, this.le);
    const global = this.globalIface(localId);
    if (global < 0) {
      noteDiagnostic(this.summary, diag('pcapng.statistics.interface_unknown', 'warn', 'malformed', `statistics for interface ${localId}, which this section does not describe`));
      return;
    }
    const stats: InterfaceStatistics = { received: null, dropped: null, osDropped: null, filterAccepted: null, delivered: null };
    this.options(buf, dv, pos + 20, pos + len - 4, (code, at, n) => {
      const key = ISB_COUNTERS[code];
      if (key === undefined || n !== 8) return;
      const hi = dv.getUint32(at + (this.le ? 4 : 0), this.le);
      const lo = dv.getUint32(at + (this.le ? 0 : 4), this.le);
      // Counters past 2^53 are not real packet counts: leave them unknown rather than rounded.
      if (hi < 0x200000) stats[key] = hi * 4294967296 + lo;
    });
    this.summary.interfaces[global].stats = stats;
  }

  /** Decryption Secrets Block: secrets type, length, the secrets (a view, valid during the call). */
  private secretsBlock(buf: Uint8Array, dv: DataView, pos: number, len: number, fileOffset: number): void {
    const n = len >= 20 ? dv.getUint32(pos + 12, this.le) : -1;
    if (n < 0 || n > len - 20) {
      noteDiagnostic(this.summary, diag('pcapng.secrets.truncated', 'warn', 'malformed', `decryption secrets block at offset ${fileOffset} is shorter than the secrets it announces; not used`));
      return;
    }
    this.onSecrets?.(dv.getUint32(pos + 8, this.le), buf.subarray(pos + 16, pos + 16 + n));
  }

  /** The global index of this section's interface `localId`, or -1 when the section has no such interface. */
  private globalIface(localId: number): number {
    const global = this.section[localId];
    return global === undefined ? -1 : global;
  }

  private packet(buf: Uint8Array, dv: DataView, pos: number, len: number, fileOffset: number, localId: number, dataAt: number, hasTs: boolean): void {
    const global = this.globalIface(localId);
    if (len < dataAt + 4) {
      noteDiagnostic(this.summary, diag('pcapng.packet.truncated', 'error', 'malformed', `packet block at offset ${fileOffset} shorter than its header`));
      return;
    }
    let capLen = dv.getUint32(pos + 20, this.le);
    const origLen = dv.getUint32(pos + 24, this.le);
    const room = len - dataAt - 4;
    const r = this.rec;
    r.frame = ++this.frame;
    if (capLen > room) {
      noteDiagnostic(this.summary, diag('pcapng.packet.caplen_invalid', 'warn', 'malformed', `captured length ${capLen} exceeds the block (${room} bytes); cut to the block`, r.frame));
      capLen = room;
    }
    if (global < 0)
      noteDiagnostic(this.summary, diag('pcapng.packet.interface_unknown', 'warn', 'malformed', `packet refers to interface ${localId}, which this section does not describe`, r.frame));
    const iface: CaptureInterface | undefined = global < 0 ? undefined : this.summary.interfaces[global];
    if (hasTs) splitTimestamp(dv.getUint32(pos + 12, this.le), dv.getUint32(pos + 16, this.le), iface?.tsUnitsPerSec ?? 1e6, this.ts);
    r.fileOffset = fileOffset + dataAt;
    r.capLen = capLen;
    r.origLen = origLen;
    r.tsSec = this.ts.sec + (iface?.tsOffsetSec ?? 0);
    r.tsNsec = this.ts.nsec;
    r.linkType = iface?.linkType ?? -1;
    r.interfaceId = global < 0 ? localId : global;
    r.data = buf.subarray(pos + dataAt, pos + dataAt + capLen);
    r.comment = undefined;
    const optStart = pos + dataAt + ((capLen + 3) & ~3);
    if (optStart < pos + len - 4)
      this.options(buf, dv, optStart, pos + len - 4, (code, at, n) => {
        if (code === OPT_COMMENT) r.comment = utf8.decode(buf.subarray(at, at + n));
      });
    this.summary.packets++;
    this.sink(r);
  }

  private simplePacket(buf: Uint8Array, dv: DataView, pos: number, len: number, fileOffset: number): void {
    const global = this.globalIface(0);
    const iface: CaptureInterface | undefined = global < 0 ? undefined : this.summary.interfaces[global];
    const origLen = dv.getUint32(pos + 8, this.le);
    const snap = iface?.snapLen || Infinity;
    const capLen = Math.min(origLen, len - 16, snap);
    const r = this.rec;
    r.frame = ++this.frame;
    r.fileOffset = fileOffset + 12;
    r.capLen = capLen;
    r.origLen = origLen;
    r.tsSec = 0;
    r.tsNsec = 0;
    r.linkType = iface?.linkType ?? -1;
    r.interfaceId = global < 0 ? 0 : global;
    r.data = buf.subarray(pos + 12, pos + 12 + capLen);
    r.comment = undefined;
    this.summary.packets++;
    this.sink(r);
  }

  /** Walks options in [at, end): code, offset of the value, value length. Stops at opt_endofopt or a bad length. */
  private options(buf: Uint8Array, dv: DataView, at: number, end: number, each: (code: number, valueAt: number, n: number) => void): void {
    while (at + 4 <= end) {
      const code = dv.getUint16(at, this.le);
      const n = dv.getUint16(at + 2, this.le);
      if (code === 0) return;
      if (at + 4 + n > end) {
        noteDiagnostic(this.summary, diag('pcapng.option.length_invalid', 'warn', 'malformed', `option ${code} runs past its block`));
        return;
      }
      each(code, at + 4, n);
      at += 4 + ((n + 3) & ~3);
    }
    void buf;
  }
}
