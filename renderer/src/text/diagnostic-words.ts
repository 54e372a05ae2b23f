/**
 * Diagnostics in plain words: a title a student understands for each engine diagnostic (the engine's
 * own message stays as the detail), and the severities' names. Pure.
 */
import type { Diagnostic, DiagnosticGroup, Severity } from '../../../dissectors/model/diagnostic';

export const SEVERITY_ORDER: Severity[] = ['error', 'warn', 'note', 'chat'];
export const SEVERITY_NAME: Record<Severity, string> = {
  error: 'Errors',
  warn: 'Warnings',
  note: 'Worth knowing',
  chat: 'For information',
};

const BY_CODE: Array<[RegExp, string]> = [
  [
    /^tcp\.segment\.retransmission/,
    'Some bytes were sent twice: the sender got no acknowledgement in time and sent them again.',
  ],
  [
    /^tcp\.segment\.missing|^tcp\.stream\.gap|^tls\.stream\.gap/,
    'Some bytes are missing: they were lost, or the capture did not see them.',
  ],
  [
    /^tcp\.handshake\.no_answer/,
    'Nobody answered the request to connect: nothing listened there, or a firewall dropped it.',
  ],
  [
    /^tcp\.handshake\.rst/,
    'The connection was refused: the other side answered with a reset (nothing listens on that port).',
  ],
  [
    /^tcp\.reassembly\.buffer_limit/,
    'This connection is larger than Wirelens keeps in memory: its end is not analysed.',
  ],
  [
    /^smtp\.message\.from_mismatch/,
    'The From: line the reader sees is not the sender the server was told: the header can say anything.',
  ],
  [/^smtp\.data\.rejected/, 'The server refused the message.'],
  [/^pop3\.login\.refused/, 'The mailbox login was refused.'],
  [/\.auth\.not_base64/, 'An authentication line is not the base64 text the exchange expects.'],
  [/\.auth\.abandoned/, 'The login was started but not finished.'],
  [
    /\.(command|reply)\.(invalid|unknown)$/,
    'Some bytes do not follow the protocol’s rules (or are not this protocol at all).',
  ],
  [/^tls\.record\.invalid/, 'Bytes that are not TLS where TLS was expected.'],
  [/^tls\.record\.truncated|\.truncated$/, 'Something ends too early: the bytes were cut off.'],
  [/^http\.body\.undecodable/, 'A compressed HTTP body could not be unpacked.'],
  [/\.before_login$/, 'A command was sent before logging in.'],
  [/^capture\.packets_dropped/, 'The capture missed packets: they were dropped before Wirelens saw them.'],
];

const BY_GROUP: Record<DiagnosticGroup, string> = {
  malformed: 'A damaged or cut-off packet.',
  sequence: 'TCP did not go smoothly (order, repeats or gaps).',
  reassemble: 'The conversation could not be put back together completely.',
  protocol: 'The conversation broke the protocol’s rules.',
  security: 'A security concern.',
  undecoded: 'Some bytes were not decoded.',
  capture: 'A problem of the capture itself.',
};

export function plainTitle(d: Pick<Diagnostic, 'code' | 'group'>): string {
  for (const [re, text] of BY_CODE) if (re.test(d.code)) return text;
  return BY_GROUP[d.group] ?? 'A problem the analysis noticed.';
}

/** Diagnostics grouped by severity, most severe first; empty groups left out. */
export function bySeverity<T extends Pick<Diagnostic, 'severity'>>(
  list: readonly T[],
): Array<{ severity: Severity; items: T[] }> {
  return SEVERITY_ORDER.map((severity) => ({
    severity,
    items: list.filter((d) => d.severity === severity),
  })).filter((g) => g.items.length > 0);
}
