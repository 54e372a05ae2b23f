/** Names what a file is when it is not a capture, from its first bytes. */
const SIGNATURES: Array<[bytes: number[], what: string]> = [
  [[0x1f, 0x8b], 'gzip-compressed data (decompress it first, or open it with a .gz name)'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd-compressed data (decompress it first)'],
  [[0xfd, 0x37, 0x7a, 0x58], 'xz-compressed data (decompress it first)'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x7f, 0x45, 0x4c, 0x46], 'an ELF executable'],
  [[0x52, 0x54, 0x53, 0x53], 'a Windows Network Monitor capture (not supported; convert it with editcap)'],
  [[0x58, 0x43, 0x50, 0x00], 'a NetXray/Sniffer capture (not supported; convert it with editcap)'],
];

function printable(b: Uint8Array): string {
  return Array.from(b, (c) => (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.')).join('');
}

export function describeNonCapture(head: Uint8Array): string {
  const hex = Array.from(head.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  for (const [sig, what] of SIGNATURES) {
    if (sig.every((b, i) => head[i] === b)) return `not a capture file: it looks like ${what} (starts with ${hex})`;
  }
  const text = head.every((c) => c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c < 0x7f));
  if (text) return `not a capture file: it starts with the text '${printable(head)}' (a pcap or pcapng file starts with a binary magic number)`;
  return `not a capture file: unknown magic number ${hex} (expected a1 b2 c3 d4 / d4 c3 b2 a1 for pcap, 0a 0d 0d 0a for pcapng)`;
}
