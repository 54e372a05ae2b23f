/**
 * The one palette of the app: what each colour means (reply outcomes, credentials, TLS, Wireshark's
 * default packet colouring rules), its colours in the light and dark themes, and the plain sentence
 * the legend and the explanation give for it. The packet list, the ladder, the handshake timeline and
 * the SVG export all take their colours from here (the stylesheet through CSS variables). Pure data
 * and functions: no DOM.
 */
import type { ReplyOutcome } from '../../../dissectors/app/types';

export type Theme = 'light' | 'dark';

/** Colours of one theme, named by meaning. `fg`/`bg` pairs are text on background; the others are strokes. */
export interface ThemeColours {
  page: string;
  text: string;
  muted: string;
  /** Arrows with no known outcome (commands, data, replies the dissector did not classify). */
  neutral: string;
  positive: string;
  intermediate: string;
  transientNegative: string;
  permanentNegative: string;
  tls: string;
  /** Wireshark's "Bad TCP" rule (retransmission, duplicate ACK, zero window, out of order, lost segment). */
  badTcpBg: string;
  badTcpFg: string;
  /** Wireshark's "TCP RST" rule. */
  rstBg: string;
  rstFg: string;
  /** Wireshark's "TCP SYN/FIN" rule. */
  synFinBg: string;
  synFinFg: string;
  /** Protocol tints of the packet list (text is `text`). */
  tintTcp: string;
  tintUdp: string;
  tintHttp: string;
  tintSmtp: string;
  tintPop3: string;
  tintFtp: string;
  tintTls: string;
}

/**
 * Bad TCP, TCP RST and SYN/FIN are Wireshark's own default colours (colorfilters: Bad TCP
 * [4718,10030,11796]/[63479,34695,34695], TCP RST [42148,0,0]/[65535,64764,40092], SYN/FIN
 * [41120,41120,41120]/[4718,10030,11796]); they are the same in both themes, as in Wireshark.
 */
const WIRESHARK = {
  badTcpBg: '#12272e',
  badTcpFg: '#f78787',
  rstBg: '#a40000',
  rstFg: '#fffc9c',
  synFinBg: '#a0a0a0',
  synFinFg: '#12272e',
};

export const PALETTE: Record<Theme, ThemeColours> = {
  light: {
    page: '#ffffff',
    text: '#1d2430',
    muted: '#4f5a6e',
    neutral: '#3b4a63',
    positive: '#1e6b34',
    intermediate: '#1f5fbf',
    transientNegative: '#8a5300',
    permanentNegative: '#b3261e',
    tls: '#6b3fa0',
    ...WIRESHARK,
    // Wireshark's TCP [59367,59110,65535], UDP [56026,59110,65535], HTTP [58596,65535,51143].
    tintTcp: '#e7e6ff',
    tintUdp: '#dae8ff',
    tintHttp: '#e4ffc7',
    tintSmtp: '#e6f4e8',
    tintPop3: '#f1eafb',
    tintFtp: '#fbf3df',
    tintTls: '#ede7f6',
  },
  dark: {
    page: '#1b2029',
    text: '#d8dee9',
    muted: '#a9b3c4',
    neutral: '#a9b8d0',
    positive: '#6cc482',
    intermediate: '#7fb0ff',
    transientNegative: '#f0b44c',
    permanentNegative: '#ff8a80',
    tls: '#c3a3f0',
    ...WIRESHARK,
    tintTcp: '#262640',
    tintUdp: '#1e2a3d',
    tintHttp: '#22301a',
    tintSmtp: '#1d2a20',
    tintPop3: '#2a2236',
    tintFtp: '#2f2a1a',
    tintTls: '#2a2238',
  },
};

/** The CSS custom properties the stylesheet reads (`--c-positive`, `--c-bad-tcp-bg`, …). */
export function cssVariables(theme: Theme): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(PALETTE[theme]))
    out[`--c-${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`] = v;
  return out;
}

export const OUTCOME_KEY: Record<ReplyOutcome, keyof ThemeColours> = {
  positive: 'positive',
  intermediate: 'intermediate',
  'transient-negative': 'transientNegative',
  'permanent-negative': 'permanentNegative',
};

/** What each reply class means, in one plain sentence (legend and explanation). */
export const OUTCOME_TEXT: Record<ReplyOutcome, { name: string; sentence: string }> = {
  positive: { name: 'done', sentence: 'Green reply: the server did what was asked (2xx, +OK).' },
  intermediate: {
    name: 'go on',
    sentence: 'Blue reply: the server waits for more from the client (3xx, e.g. “send the message”).',
  },
  'transient-negative': {
    name: 'try later',
    sentence: 'Amber reply: it failed this time, trying again later may work (4xx).',
  },
  'permanent-negative': {
    name: 'refused',
    sentence: 'Red reply: the server refused or failed, repeating it will not help (5xx, -ERR).',
  },
};

export const KEY_ICON = '🔑';
export const CREDENTIAL_SENTENCE =
  'Key: this step carries a user name or password; anyone who captures it can read it unless TLS protects it.';
export const TLS_SENTENCE =
  'Purple: TLS, the encryption layer; what is inside cannot be read from the capture.';

/** Wireshark's default colouring rules that Wirelens applies, in Wireshark's order (first match wins). */
export type PacketRule =
  'bad-tcp' | 'rst' | 'syn-fin' | 'http' | 'smtp' | 'pop3' | 'ftp' | 'tls' | 'tcp' | 'udp' | 'none';

export const PACKET_RULE_TEXT: Partial<Record<PacketRule, { name: string; sentence: string }>> = {
  'bad-tcp': {
    name: 'TCP trouble',
    sentence:
      'Black with red text (Bad TCP): something went wrong in TCP — a segment sent again, a duplicate acknowledgement, a full (zero) window or data out of order.',
  },
  rst: {
    name: 'reset (RST)',
    sentence: 'Dark red (TCP RST): one side aborted the connection at once, without the polite FIN goodbye.',
  },
  'syn-fin': {
    name: 'open / close',
    sentence: 'Grey (SYN/FIN): a packet that opens (SYN) or closes (FIN) a TCP connection.',
  },
};

const SYN = 0x02;
const FIN = 0x01;
const RST = 0x04;
/** Flags that are not trouble: Wireshark's Bad TCP rule leaves window updates and keep-alives out. */
const NOT_BAD = new Set([
  'tcp.analysis.window_update',
  'tcp.analysis.keep_alive',
  'tcp.analysis.keep_alive_ack',
]);

export function isBadTcp(analysis: readonly string[] | undefined): boolean {
  return !!analysis && analysis.some((a) => !NOT_BAD.has(a));
}

/** The colouring rule of one packet (Wireshark's order: Bad TCP, TCP RST, protocol HTTP, SYN/FIN, TCP, UDP). */
export function packetRule(p: {
  protocol: string;
  tcpFlags?: number;
  analysis?: readonly string[];
}): PacketRule {
  if (isBadTcp(p.analysis)) return 'bad-tcp';
  const flags = p.tcpFlags;
  if (flags !== undefined && flags & RST) return 'rst';
  const proto = p.protocol.toLowerCase();
  if (proto.startsWith('http')) return 'http';
  if (flags !== undefined && flags & (SYN | FIN)) return 'syn-fin';
  if (proto === 'smtp' || proto === 'imf') return 'smtp';
  if (proto === 'pop' || proto === 'pop3') return 'pop3';
  if (proto.startsWith('ftp')) return 'ftp';
  if (proto.startsWith('tls') || proto.startsWith('ssl')) return 'tls';
  if (flags !== undefined || proto === 'tcp') return 'tcp';
  if (proto === 'udp' || proto === 'dns') return 'udp';
  return 'none';
}

/** One "red packet" kind on a ladder or timeline, with its one plain sentence. */
export type TroubleKind =
  'retransmission' | 'duplicate-ack' | 'zero-window' | 'out-of-order' | 'lost-segment' | 'rst' | 'other';

export const TROUBLE_TEXT: Record<TroubleKind, { name: string; sentence: string }> = {
  retransmission: {
    name: 'sent again',
    sentence: 'Retransmission: the sender got no acknowledgement in time, so it sent the same bytes again.',
  },
  'duplicate-ack': {
    name: 'duplicate ACK',
    sentence:
      'Duplicate ACK: the receiver acknowledged the same bytes again, telling the sender that something after them is missing.',
  },
  'zero-window': {
    name: 'zero window',
    sentence: 'Zero window: the receiver’s buffer is full, so the sender must wait before sending more.',
  },
  'out-of-order': {
    name: 'out of order',
    sentence: 'Out of order: this segment arrived after bytes that come later in the stream.',
  },
  'lost-segment': {
    name: 'gap',
    sentence: 'Lost segment: bytes before this one never appeared in the capture (lost, or not captured).',
  },
  rst: {
    name: 'reset',
    sentence:
      'Reset (RST): one side aborted the connection at once; anything not yet delivered is thrown away.',
  },
  other: { name: 'TCP note', sentence: 'TCP analysis flagged this segment (see the packet’s Info column).' },
};

/** The trouble kinds of one packet (for ladder and timeline marks), most telling first. */
export function troubleOf(m: { tcpFlags?: number; analysis?: readonly string[] }): TroubleKind[] {
  const out: TroubleKind[] = [];
  const a = m.analysis ?? [];
  if (a.some((x) => x.includes('retransmission'))) out.push('retransmission');
  if (a.includes('tcp.analysis.duplicate_ack')) out.push('duplicate-ack');
  if (a.includes('tcp.analysis.zero_window') || a.includes('tcp.analysis.window_full'))
    out.push('zero-window');
  if (a.includes('tcp.analysis.out_of_order')) out.push('out-of-order');
  if (a.includes('tcp.analysis.lost_segment')) out.push('lost-segment');
  if (m.tcpFlags !== undefined && m.tcpFlags & RST) out.push('rst');
  if (!out.length && isBadTcp(a)) out.push('other');
  return out;
}

/** WCAG 2.1 contrast ratio of two #rrggbb colours. */
export function contrastRatio(a: string, b: string): number {
  const lum = (hex: string) => {
    const c = [1, 3, 5]
      .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
