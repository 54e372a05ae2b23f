/**
 * Classic libpcap files: both byte orders, microsecond (a1b2c3d4) and nanosecond (a1b23c4d) magic,
 * and the old "modified" format (a1b2cd34, 24-byte record headers). Records cut by the snaplen keep
 * their original length.
 */
import { diag } from '../model/diagnostic';
import type { CaptureRecord } from './types';
import { MAX_UNIT_BYTES, newSummary, noteDiagnostic, noteLinkType, type RecordSink, type UnitParser } from './unit-parser';

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const PCAP_MAGIC_MODIFIED = 0xa1b2cd34;

export function isPcapMagic(le: number): boolean {
  for (const m of [PCAP_MAGIC_US, PCAP_MAGIC_NS, PCAP_MAGIC_MODIFIED]) {
    if (le === m) return true;
    const swapped = ((m & 0xff) << 24) | ((m & 0xff00) << 8) | ((m >>> 8) & 0xff00) | (m >>> 24);
    if (le === swapped >>> 0) return true;
  }
  return false;
}

export class PcapParser implements UnitParser {
  readonly summary = newSummary('pcap');
  private started = false;
  private le = true;
  private nano = false;
  private recordHeader = 16;
  private linkType = 1;
  private snapLen = 0;
  private frame = 0;
  /** Reused record object: consumers copy what they keep (see CaptureRecord). */
  private readonly rec: CaptureRecord = {
    frame: 0, fileOffset: 0, capLen: 0, origLen: 0, tsSec: 0, tsNsec: 0, linkType: 0, interfaceId: 0, data: new Uint8Array(0),
  };

  constructor(private readonly sink: RecordSink) {}

  headerBytes(): number {
    return this.started ? this.recordHeader : 24;
  }

  unitLength(_buf: Uint8Array, dv: DataView, pos: number): number {
    if (!this.started) return 24;
    const capLen = dv.getUint32(pos + 8, this.le);
    if (capLen > MAX_UNIT_BYTES) {
      this.summary.truncated = true;
      this.summary.diagnostics.push(
        diag('pcap.record.length_invalid', 'error', 'malformed',
          `record ${this.frame + 1} claims ${capLen} captured bytes (more than ${MAX_UNIT_BYTES}); the rest of the file cannot be read`),
      );
      return -1;
    }
    return this.recordHeader + capLen;
  }

  parseUnit(buf: Uint8Array, dv: DataView, pos: number, len: number, fileOffset: number): void {
    if (!this.started) return this.parseFileHeader(dv, pos);
    const le = this.le;
    const capLen = len - this.recordHeader;
    const origLen = dv.getUint32(pos + 12, le);
    const frac = dv.getUint32(pos + 4, le);
    const r = this.rec;
    r.frame = ++this.frame;
    r.fileOffset = fileOffset + this.recordHeader;
    r.capLen = capLen;
    r.origLen = origLen;
    r.tsSec = dv.getUint32(pos, le);
    r.tsNsec = this.nano ? frac : frac * 1000;
    r.linkType = this.linkType;
    r.data = buf.subarray(pos + this.recordHeader, pos + len);
    if (capLen > origLen)
      noteDiagnostic(this.summary, diag('pcap.record.caplen_exceeds_len', 'warn', 'malformed', `captured length ${capLen} > original length ${origLen}`, r.frame));
    if (frac >= (this.nano ? 1e9 : 1e6))
      noteDiagnostic(this.summary, diag('pcap.record.timestamp_invalid', 'warn', 'malformed', `sub-second timestamp ${frac} out of range`, r.frame));
    this.summary.packets++;
    this.sink(r);
  }

  private parseFileHeader(dv: DataView, pos: number): void {
    const magicLe = dv.getUint32(pos, true);
    this.le = magicLe === PCAP_MAGIC_US || magicLe === PCAP_MAGIC_NS || magicLe === PCAP_MAGIC_MODIFIED;
    const magic = dv.getUint32(pos, this.le);
    this.nano = magic === PCAP_MAGIC_NS;
    this.recordHeader = magic === PCAP_MAGIC_MODIFIED ? 24 : 16;
    this.snapLen = dv.getUint32(pos + 16, this.le);
    // The upper bits of the link-type field carry FCS info (pcap-savefile(5)).
    this.linkType = dv.getUint32(pos + 20, this.le) & 0x0fffffff;
    this.started = true;
    this.summary.sections = 1;
    this.summary.interfaces.push({ linkType: this.linkType, snapLen: this.snapLen, tsUnitsPerSec: this.nano ? 1e9 : 1e6, tsOffsetSec: 0 });
    noteLinkType(this.summary, this.linkType);
  }
}
