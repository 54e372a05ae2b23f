/**
 * Every resource limit of the engine, in one place: what it bounds, its value and the message shown
 * when a capture or a filter reaches it. A capture is hostile input: each limit turns what would be
 * an exhausted memory, a full disk or a frozen engine into a load that goes on with less (or a
 * filter refused) and says so. README's "Limits" section lists the same values.
 */

export interface Limit {
  /** The bound (bytes, a count or a ratio, as `what` says). */
  readonly value: number;
  /** What is bounded, in a few words. */
  readonly what: string;
  /** What the user is told when the bound is reached. */
  readonly message: string;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

function limit(value: number, what: string, message: string): Limit {
  return { value, what, message };
}

const GZIP_MAX = 8 * GiB;
const GZIP_RATIO = 100;
const GZIP_FLOOR = 64 * MiB;

export const LIMITS = {
  /** A .gz capture is decompressed (while it streams) to at most this many bytes… */
  gzipCaptureBytes: limit(
    GZIP_MAX,
    'decompressed size of a .gz capture',
    `the compressed file expands to more than ${GZIP_MAX / GiB} GiB, Wirelens's limit for a decompressed capture, so it was not opened. Decompress it yourself (gunzip) and open the part you need (editcap -r can cut one out).`,
  ),
  /** …and to at most this many times its compressed size (but always at least gzipCaptureFloor). */
  gzipCaptureRatio: limit(
    GZIP_RATIO,
    'decompressed size of a .gz capture ÷ its compressed size',
    `the compressed file expands to more than ${GZIP_RATIO} times its size (real captures compress far less; this looks like a decompression bomb), so it was not opened. If it is a real capture, decompress it yourself (gunzip) and open the result.`,
  ),
  gzipCaptureFloor: limit(
    GZIP_FLOOR,
    'decompressed size of a .gz capture always allowed, whatever its ratio',
    `a .gz capture may always expand to ${GZIP_FLOOR / MiB} MiB`,
  ),

  /** Packets read from one capture; later packets are not read. */
  packets: limit(
    30_000_000,
    'packets read from one capture',
    `the capture has more than 30,000,000 packets, Wirelens's limit: only the first 30,000,000 were read. Cut the capture into parts (editcap -c) to study the rest.`,
  ),
  /** TCP connections tracked; packets of later new connections are listed without one, not reassembled. */
  connections: limit(
    1_000_000,
    'TCP connections tracked in one capture',
    `the capture opens more than 1,000,000 TCP connections, Wirelens's limit: packets of later new connections are listed but not reassembled or dissected (they have no connection). Filter the capture first (tshark -Y or a BPF filter) to study those connections.`,
  ),
  /**
   * Memory running short: the share of the JavaScript heap limit in use (with the memory held
   * outside the heap: buffers, the packet index) past which the load stops dissecting.
   */
  memory: limit(0.7, 'memory in use (JavaScript heap and buffers) ÷ the JavaScript heap limit, past which the load stops dissecting', `memory ran short (70 % of what Wirelens may use was in use), so it stopped dissecting there: connections being dissected keep what was found until then, and packets of new connections are listed but not reassembled or dissected (they have no connection). Filter the capture first (tshark -Y or a BPF filter) to study a part of it.`),
  /** Connections whose bytes are handed to an application dissector (SMTP, HTTP, …). */
  dissectedConnections: limit(
    50_000,
    'TCP connections dissected as SMTP, POP3, HTTP, FTP or TLS',
    `more than 50,000 connections carry data, Wirelens's limit for dissecting them: later connections are reassembled and counted but their application protocol is not dissected (no ladder). Filter the capture first to study them.`,
  ),
  /** Out-of-order bytes held by the reassembler, per connection and in total. */
  reassemblyPerConnection: limit(
    4 * MiB,
    'out-of-order bytes buffered per TCP connection',
    'more out-of-order bytes than one connection may buffer (4 MiB): the bytes missing before them are reported as a gap',
  ),
  reassemblyTotal: limit(
    256 * MiB,
    'out-of-order bytes buffered over all TCP connections',
    'more out-of-order bytes than all connections together may buffer (256 MiB): the bytes missing before them are reported as a gap',
  ),

  /** Content-Encoding (gzip, deflate, br) of one HTTP body decodes to at most this much… */
  httpDecodedBody: limit(
    32 * MiB,
    'decoded size of one compressed HTTP body',
    'decodes to more than 32 MiB, the limit for one body',
  ),
  /** …and to at most this many times its compressed size (bodies under httpDecodedFloor always allowed)… */
  httpDecodedRatio: limit(
    1000,
    'decoded size of a compressed HTTP body ÷ its compressed size',
    'decodes to more than 1,000 times its compressed size (a decompression bomb?)',
  ),
  httpDecodedFloor: limit(
    1 * MiB,
    'decoded size of an HTTP body always allowed, whatever its ratio',
    'a compressed body may always decode to 1 MiB',
  ),
  /** …and all bodies of a capture together decode to at most this much. */
  httpDecodedTotal: limit(
    512 * MiB,
    'decoded size of all compressed HTTP bodies of one capture',
    'the compressed bodies of this capture already decoded to 512 MiB, the limit for one capture: later compressed bodies are counted and hashed as sent, not decoded',
  ),

  /** Display filter `matches`: the pattern's length, its compiled size, a repetition count, the text searched. */
  regexPattern: limit(
    1000,
    'characters in a regular expression',
    'the regular expression is longer than 1,000 characters',
  ),
  regexStates: limit(
    5000,
    'states of a compiled regular expression',
    'the regular expression is too large once its repetitions are written out (more than 5,000 steps): use smaller repetition counts',
  ),
  regexRepeat: limit(1000, 'count in a repetition {m,n}', 'a repetition count above 1,000 is not supported'),
  regexInput: limit(
    64 * 1024,
    'characters of a value a regular expression searches',
    'only the first 65,536 characters of a value are searched',
  ),
} as const;

export type LimitName = keyof typeof LIMITS;

/** The decoded size allowed for one compressed body of `compressedBytes` (absolute and ratio caps). */
export function decodedBodyCap(compressedBytes: number): number {
  return Math.min(
    LIMITS.httpDecodedBody.value,
    Math.max(LIMITS.httpDecodedFloor.value, compressedBytes * LIMITS.httpDecodedRatio.value),
  );
}

/** The decompressed size allowed for a .gz capture of `compressedBytes` (absolute and ratio caps). */
export function gzipCaptureCap(compressedBytes: number): number {
  return Math.min(
    LIMITS.gzipCaptureBytes.value,
    Math.max(LIMITS.gzipCaptureFloor.value, compressedBytes * LIMITS.gzipCaptureRatio.value),
  );
}
