/**
 * What Wireshark's `dumpcap` says on stderr while it captures to a file, turned into facts. dumpcap
 * writes human-readable lines (stable since Wireshark 1.x):
 *
 *   Capturing on 'Loopback: lo'
 *   File: /tmp/x.pcapng
 *   \rPackets: 1 \rPackets: 2 …                       (while capturing, without -q)
 *   Packets captured: 3
 *   Packets received/dropped on interface 'Loopback: lo': 3/0 (pcap:0/dumpcap:0/flushed:0/ps_ifdrop:0) (100.0%)
 *
 * and, when it cannot start, "dumpcap: …" or libpcap's message (e.g. "You don't have permission to
 * capture on that device …", "Invalid capture filter …"). Anything else is kept as text for the
 * error message, never interpreted. Text is bounded: a line longer than MAX_LINE is cut.
 */
export interface DumpcapFacts {
  /** The file dumpcap said it writes ("File: …"): the capture has started. */
  file: string | null;
  /** Packets written so far ("Packets: N", then "Packets captured: N"). */
  packets: number;
  /** From the final statistics line: packets the kernel handed to libpcap, and those dropped. */
  received: number | null;
  dropped: number | null;
  /** Lines that are none of the above (the error text when dumpcap fails). */
  other: string[];
}

const MAX_LINE = 4096;
const MAX_OTHER_LINES = 50;

export class DumpcapOutput {
  readonly facts: DumpcapFacts = { file: null, packets: 0, received: null, dropped: null, other: [] };
  private partial = '';

  /** Feeds a chunk of stderr; returns true when a new fact (file, count, statistics) was learnt. */
  push(text: string): boolean {
    let learnt = false;
    this.partial += text;
    for (;;) {
      const m = /[\r\n]/.exec(this.partial);
      if (!m) break;
      const line = this.partial.slice(0, m.index);
      this.partial = this.partial.slice(m.index + 1);
      learnt = this.line(line) || learnt;
    }
    // "\rPackets: N " has no line end until the next update: take the count as soon as it is whole.
    const pending = /^Packets: (\d+) $/.exec(this.partial);
    if (pending) learnt = this.count(pending[1]) || learnt;
    if (this.partial.length > MAX_LINE) this.partial = this.partial.slice(0, MAX_LINE);
    return learnt;
  }

  /** The end of the output: a last line without a line end. */
  end(): void {
    const rest = this.partial;
    this.partial = '';
    if (rest) this.line(rest);
  }

  /** The error text: everything dumpcap said that is not a count or the start lines. */
  errorText(): string {
    return this.facts.other.join('\n').trim();
  }

  private line(raw: string): boolean {
    const kept = raw.slice(0, MAX_LINE).trimEnd();
    const line = kept.trim();
    if (!line) {
      // Blank lines separate the paragraphs of dumpcap's advice: keep them inside the text.
      if (this.facts.other.length && this.facts.other.length < MAX_OTHER_LINES && this.facts.other[this.facts.other.length - 1] !== '') this.facts.other.push('');
      return false;
    }
    let m: RegExpExecArray | null;
    if ((m = /^File: (.+)$/.exec(line))) {
      this.facts.file = m[1];
      return true;
    }
    if ((m = /^Packets(?: captured)?: (\d+)$/.exec(line))) return this.count(m[1]);
    if ((m = /^Packets received\/dropped on interface .*: (\d+)\/(\d+)\b/.exec(line))) {
      this.facts.received = (this.facts.received ?? 0) + Number(m[1]);
      this.facts.dropped = (this.facts.dropped ?? 0) + Number(m[2]);
      return true;
    }
    if (/^Capturing on /.test(line)) return false;
    if (this.facts.other.length < MAX_OTHER_LINES) this.facts.other.push(kept);
    return false;
  }

  private count(digits: string): boolean {
    const n = Number(digits);
    if (!Number.isSafeInteger(n) || n === this.facts.packets) return false;
    this.facts.packets = n;
    return true;
  }
}

/**
 * The link type of the first interface in a pcapng file's head (Section Header Block, then an
 * Interface Description Block), or null when the bytes are not that (yet). Either byte order.
 */
export function pcapngFirstLinkType(head: Uint8Array): number | null {
  if (head.length < 28) return null;
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (dv.getUint32(0, true) !== 0x0a0d0d0a) return null;
  const magic = dv.getUint32(8, true);
  const le = magic === 0x1a2b3c4d ? true : magic === 0x4d3c2b1a ? false : null;
  if (le === null) return null;
  const shbLen = dv.getUint32(4, le);
  if (shbLen < 28 || shbLen % 4 !== 0 || shbLen + 12 > head.length) return null;
  if (dv.getUint32(shbLen, le) !== 1) return null;
  return dv.getUint16(shbLen + 8, le);
}
