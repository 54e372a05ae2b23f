/** Parsers of tshark's `-z` Statistics tables and of `capinfos -M`, as tshark 4 prints them (the golden files under fixtures/golden/stats). */

export interface TsharkPhsRow {
  path: string;
  frames: number;
  bytes: number;
}

/** `-z io,phs`: one row per protocol path, depth from the indentation (two spaces a level). */
export function parsePhs(text: string): TsharkPhsRow[] {
  const out: TsharkPhsRow[] = [];
  const stack: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^( *)(\S+)\s+frames:(\d+) bytes:(\d+)\s*$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 2;
    stack.length = depth;
    stack.push(m[2]);
    out.push({ path: stack.join(':'), frames: Number(m[3]), bytes: Number(m[4]) });
  }
  return out;
}

export interface TsharkConversation {
  a: string;
  b: string;
  framesBtoA: number;
  bytesBtoA: number;
  framesAtoB: number;
  bytesAtoB: number;
  frames: number;
  bytes: number;
  /** As printed: start with 9 decimals, duration with 4. */
  start: string;
  duration: string;
}

/** `-z conv,tcp|udp|ip`: "A <-> B  ←frames ←bytes bytes  →frames →bytes bytes  frames bytes bytes  start duration". */
export function parseConversations(text: string): TsharkConversation[] {
  const out: TsharkConversation[] = [];
  for (const line of text.split('\n')) {
    const m =
      /^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+(\d+) bytes\s+(\d+)\s+(\d+) bytes\s+(\d+)\s+(\d+) bytes\s+(\d+\.\d+)\s+(\d+\.\d+)\s*$/.exec(
        line,
      );
    if (!m) {
      if (/<->/.test(line)) throw new Error(`unparsed conversation line (bytes not in "bytes"?): ${line}`);
      continue;
    }
    out.push({
      a: m[1],
      b: m[2],
      framesBtoA: +m[3],
      bytesBtoA: +m[4],
      framesAtoB: +m[5],
      bytesAtoB: +m[6],
      frames: +m[7],
      bytes: +m[8],
      start: m[9],
      duration: m[10],
    });
  }
  return out;
}

export interface TsharkEndpoint {
  address: string;
  packets: number;
  bytes: number;
  txPackets: number;
  txBytes: number;
  rxPackets: number;
  rxBytes: number;
}

/** `-z endpoints,ip`: "address packets bytes txPackets txBytes rxPackets rxBytes". */
export function parseEndpoints(text: string): TsharkEndpoint[] {
  const out: TsharkEndpoint[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/.exec(line);
    if (m)
      out.push({
        address: m[1],
        packets: +m[2],
        bytes: +m[3],
        txPackets: +m[4],
        txBytes: +m[5],
        rxPackets: +m[6],
        rxBytes: +m[7],
      });
  }
  return out;
}

/** `-z io,stat,N`: the interval length printed and each interval's frames and bytes. */
export function parseIoStat(text: string): {
  interval: number;
  rows: Array<{ frames: number; bytes: number }>;
} {
  const interval = Number(/Interval:\s+([\d.]+) secs/.exec(text)?.[1] ?? NaN);
  const rows: Array<{ frames: number; bytes: number }> = [];
  for (const line of text.split('\n')) {
    const m = /^\|\s*[\d.]+\s+<>\s+(?:[\d.]+|Dur)\s*\|\s*(\d+) \|\s*(\d+) \|$/.exec(line);
    if (m) rows.push({ frames: +m[1], bytes: +m[2] });
  }
  return { interval, rows };
}

/** `capinfos -M`: "Name: value" lines (the interface blocks' indented lines are left out). */
export function parseCapinfos(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z][^:]+):\s+(.*?)\s*$/.exec(line);
    if (m && !(m[1] in out)) out[m[1]] = m[2];
  }
  return out;
}
