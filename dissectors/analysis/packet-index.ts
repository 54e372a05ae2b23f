/**
 * Columnar per-packet index built in the one sequential pass: a few tens of bytes per packet in
 * typed arrays, no per-packet objects. Packet bytes stay in the file (fileOffset) and are re-read
 * on demand.
 */

export const PF_TCP = 1;
export const PF_UDP = 2;
export const PF_FROM_SERVER = 4;
export const PF_PROBLEM = 8;
export const PF_IPV6 = 16;
export const PF_PAYLOAD = 32;
export const PF_FRAGMENT = 64;
export const PF_IP = 128;

/** tshark analysis flags as bits (for the Info column and filters). */
export const ANALYSIS_CODES = [
  'tcp.analysis.retransmission',
  'tcp.analysis.out_of_order',
  'tcp.analysis.duplicate_ack',
  'tcp.analysis.keep_alive',
  'tcp.analysis.zero_window',
  'tcp.analysis.zero_window_probe',
  'tcp.analysis.lost_segment',
  'tcp.analysis.window_update',
  'tcp.analysis.fast_retransmission',
  'tcp.analysis.spurious_retransmission',
  'tcp.analysis.keep_alive_ack',
  'tcp.analysis.window_full',
  'tcp.analysis.ack_lost_segment',
  'tcp.analysis.reused_ports',
  'tcp.analysis.zero_window_probe_ack',
] as const;

const ANALYSIS_BIT = new Map<string, number>(ANALYSIS_CODES.map((c, i) => [c, 1 << i]));

export function analysisToBits(codes: readonly string[]): number {
  let bits = 0;
  for (const c of codes) bits |= ANALYSIS_BIT.get(c) ?? 0;
  return bits;
}

export function bitsToAnalysis(bits: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < ANALYSIS_CODES.length; i++) if (bits & (1 << i)) out.push(ANALYSIS_CODES[i]);
  return out;
}

/**
 * The packet index as a capture is read: each record's row (file offset, lengths, time since the
 * first packet, interface, link type). The dissection columns are filled by whoever dissects it.
 */
export class RecordIndexer {
  readonly index = new PacketIndex();
  /** Absolute time of the first packet, once one arrived. */
  base: { sec: number; nsec: number } | null = null;

  /** The last pushed record's time in seconds since the first packet. */
  time = 0;

  /** Adds the record's row and returns it; its time since the first packet is then in `time`. */
  push(rec: { fileOffset: number; capLen: number; origLen: number; tsSec: number; tsNsec: number; interfaceId: number; linkType: number }): number {
    if (this.base === null) this.base = { sec: rec.tsSec, nsec: rec.tsNsec };
    const time = rec.tsSec - this.base.sec + (rec.tsNsec - this.base.nsec) / 1e9;
    this.time = time;
    return this.index.push(rec.fileOffset, rec.capLen, rec.origLen, time, rec.interfaceId, rec.linkType);
  }
}

const OFFSET_WORD = 2 ** 32;
/** The packet count projected from the bytes read so far is taken this much higher (see projectedCount). */
export const PROJECTION_MARGIN = 1.05;

export class PacketIndex {
  count = 0;
  /**
   * File offsets modulo 2^32; offsetOf() adds the high part, which changes only at the rows listed in
   * offsetHighs (a file is read in order, so a 4 GiB file has one change): 4 bytes a packet, not 8.
   */
  offsetLow = new Uint32Array(1024);
  capLen = new Uint32Array(1024);
  /** Seconds since the first packet. */
  time = new Float64Array(1024);
  conn = new Int32Array(1024);
  relSeq = new Uint32Array(1024);
  relAck = new Uint32Array(1024);
  tcpFlags = new Uint16Array(1024);
  analysis = new Uint16Array(1024);
  flags = new Uint8Array(1024);
  /**
   * Original lengths, made only once a packet was cut short (origLen ≠ capLen): until then every
   * row's original length is its captured length, and the column costs nothing.
   */
  private origLens: Uint32Array | null = null;
  /**
   * Each row's (interface, link type) as a number into `interfaces`, made only once a second pair
   * appears: a file of one interface (nearly all) needs no column.
   */
  private interfaceRows: Uint32Array | null = null;
  private readonly interfaces: Array<{ iface: number; linkType: number }> = [];
  private readonly interfaceNumbers = new Map<number, number>();
  /** [row, high part] pairs, rows ascending: from that row on, offsets are high part × 2^32 + offsetLow. */
  private readonly offsetHighs: number[] = [0, 0];
  /**
   * Size of the whole capture file, when known (a file being opened, not a live capture): growth
   * then jumps to the packet count projected from the bytes read so far, instead of copying every
   * column at each 1.5× step. Capacity never written costs no memory (the pages are never touched).
   */
  expectedBytes = 0;
  private lastOffset = 0;

  push(fileOffset: number, capLen: number, origLen: number, time: number, iface: number, linkType: number): number {
    if (this.count === this.time.length) this.grow();
    const i = this.count++;
    this.lastOffset = fileOffset;
    const high = Math.floor(fileOffset / OFFSET_WORD);
    if (high !== this.offsetHighs[this.offsetHighs.length - 1]) this.offsetHighs.push(i, high);
    this.offsetLow[i] = fileOffset;
    this.capLen[i] = capLen;
    this.time[i] = time;
    this.conn[i] = -1;
    if (origLen !== capLen || this.origLens) this.setOrigLen(i, origLen);
    const first = this.interfaces[0];
    if (first === undefined || first.iface !== iface || first.linkType !== linkType || this.interfaceRows) this.setInterface(i, iface, linkType);
    return i;
  }

  /** Where row `i`'s record lies in the file. */
  offsetOf(i: number): number {
    const h = this.offsetHighs;
    let k = h.length - 2;
    while (k > 0 && h[k] > i) k -= 2;
    return h[k + 1] * OFFSET_WORD + this.offsetLow[i];
  }

  /** Row `i`'s length on the wire. */
  origLenOf(i: number): number {
    return this.origLens ? this.origLens[i] : this.capLen[i];
  }

  /** Row `i`'s link type. */
  linkTypeOf(i: number): number {
    return this.interfaces[this.interfaceRows ? this.interfaceRows[i] : 0]?.linkType ?? 0;
  }

  /** Row `i`'s interface (as the file numbers it). */
  ifaceOf(i: number): number {
    return this.interfaces[this.interfaceRows ? this.interfaceRows[i] : 0]?.iface ?? 0;
  }

  /** Every row's length on the wire (the captured lengths' column while no packet was cut short); index by row below count. */
  origLenColumn(): Uint32Array {
    return this.origLens ?? this.capLen;
  }

  private setOrigLen(i: number, origLen: number): void {
    if (!this.origLens) {
      this.origLens = new Uint32Array(this.capacity);
      this.origLens.set(this.capLen.subarray(0, i));
    }
    this.origLens[i] = origLen;
  }

  private setInterface(i: number, iface: number, linkType: number): void {
    const key = iface * 65536 + linkType;
    let n = this.interfaceNumbers.get(key);
    if (n === undefined) {
      n = this.interfaces.length;
      this.interfaces.push({ iface, linkType });
      this.interfaceNumbers.set(key, n);
    }
    if (n !== 0 && !this.interfaceRows) this.interfaceRows = new Uint32Array(this.capacity);
    if (this.interfaceRows) this.interfaceRows[i] = n;
  }

  /** Bytes held per packet by the index (for the memory report): the columns every index has. */
  static bytesPerPacket(): number {
    return COLUMN_BYTES.reduce((a, b) => a + b, 0);
  }

  private grow(): void {
    // Doubling while small, then 1.5×: less spare capacity and a smaller peak while copying. The
    // spare capacity is never written, so the system never gives it pages: it is not trimmed at
    // the end (a copy to trim it cost ~50 MB at the peak of a 1 GiB load and saved nothing).
    const len = this.time.length;
    this.replaceColumns(Math.max(len < 65536 ? len * 2 : Math.ceil(len * 1.5), this.projectedCount()));
  }

  /**
   * Packets the whole file will hold at the bytes per packet seen so far, plus 5 % (0 when unknown
   * or too early to tell: the first packets — handshakes — are smaller than the file's average).
   * Measured on a 1 GiB capture: the index's columns were copied 18 times, touching ~180 MB of fresh
   * memory (about a second here); projected, they are copied twice.
   */
  projectedCount(): number {
    if (this.expectedBytes <= 0 || this.count < 65536 || this.lastOffset <= 0 || this.lastOffset >= this.expectedBytes) return 0;
    return Math.ceil(((this.count * this.expectedBytes) / this.lastOffset) * PROJECTION_MARGIN);
  }

  /** Rows the columns hold before they must grow. */
  get capacity(): number {
    return this.time.length;
  }

  /** Byte lengths of the columns every index has for `rows` rows, in the order adopt() takes them. */
  static columnSizes(rows: number): number[] {
    return COLUMN_BYTES.map((b) => b * rows);
  }

  /**
   * Moves the index into column buffers prepared elsewhere — by a thread with time to spare, which
   * has already written to every page: on a VM the first write to fresh memory is slow (about 5 s a
   * GiB here), and the index's columns are ~35 bytes a packet. The rows so far are copied over.
   * Refused (false, nothing changes) unless the buffers are the columns of at least as many rows as
   * the index can hold now.
   */
  adopt(buffers: ArrayBuffer[]): boolean {
    if (buffers.length !== COLUMN_BYTES.length) return false;
    const rows = buffers[0].byteLength / COLUMN_BYTES[0];
    if (!Number.isInteger(rows) || rows < this.capacity || buffers.some((b, i) => b.byteLength !== COLUMN_BYTES[i] * rows)) return false;
    this.replaceColumns(rows, buffers);
    return true;
  }

  /** Every column replaced by one of `rows` rows (over `buffers`, in COLUMN_BYTES order, when given), with the rows so far. */
  private replaceColumns(rows: number, buffers?: ArrayBuffer[]): void {
    const n = Math.min(this.count, rows);
    const at = (i: number): ArrayBuffer => buffers?.[i] ?? new ArrayBuffer(COLUMN_BYTES[i] * rows);
    this.offsetLow = moved(new Uint32Array(at(0)), this.offsetLow, n);
    this.capLen = moved(new Uint32Array(at(1)), this.capLen, n);
    this.time = moved(new Float64Array(at(2)), this.time, n);
    this.conn = moved(new Int32Array(at(3)), this.conn, n);
    this.relSeq = moved(new Uint32Array(at(4)), this.relSeq, n);
    this.relAck = moved(new Uint32Array(at(5)), this.relAck, n);
    this.tcpFlags = moved(new Uint16Array(at(6)), this.tcpFlags, n);
    this.analysis = moved(new Uint16Array(at(7)), this.analysis, n);
    this.flags = moved(new Uint8Array(at(8)), this.flags, n);
    if (this.origLens) this.origLens = moved(new Uint32Array(rows), this.origLens, n);
    if (this.interfaceRows) this.interfaceRows = moved(new Uint32Array(rows), this.interfaceRows, n);
  }
}

/** Bytes per row of each column every index has, in the order of replaceColumns() (and so of adopt()'s buffers). */
const COLUMN_BYTES = [4, 4, 8, 4, 4, 4, 2, 2, 1];

/** `to` with the first `n` rows of `from`. */
function moved<T extends { set(a: ArrayLike<number>): void }>(to: T, from: { subarray(a: number, b: number): ArrayLike<number> }, n: number): T {
  to.set(from.subarray(0, n));
  return to;
}
