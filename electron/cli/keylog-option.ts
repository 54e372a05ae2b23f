/** `--keylog FILE` (repeatable): the TLS key logs a command decrypts with, and what they matched, for a person. */
import type { CaptureSession } from '../engine/capture-session';
import { readKeyLogFile, type KeyLogText } from '../engine/key-logs';
import type { ParsedArgs } from './args';
import { UsageError } from './args';
import { forTerminal } from './format';

export function keyLogsFromArgs(args: ParsedArgs): KeyLogText[] {
  return (args.values.get('keylog') ?? []).map((path) => {
    try {
      return readKeyLogFile(path);
    } catch (e) {
      throw new UsageError(`--keylog: ${(e as Error).message}`);
    }
  });
}

/** Lines saying how many keys each key log gave and which connections they decrypted (nothing without key logs or capture secrets). */
export function keyLogLines(s: CaptureSession): string[] {
  const keys = s.loaded?.tlsKeys;
  const lines: string[] = [];
  for (const r of s.keyLogReports) {
    lines.push(
      `TLS key log ${forTerminal(r.name)}: ${r.keys} key(s) loaded${r.skipped ? `, ${r.skipped} line(s) skipped (${forTerminal(r.firstProblem ?? '')})` : ''}`,
    );
  }
  if (!keys || keys.keys === 0) return lines;
  if (s.keyLogReports.length === 0) lines.push(`TLS secrets embedded in the capture: ${keys.keys} key(s)`);
  const tls = s.tlsConnections();
  const decrypted = tls.filter((c) => c.decrypted);
  if (decrypted.length) lines.push(`  decrypted: ${decrypted.map((c) => `#${c.id}`).join(', ')}`);
  for (const c of tls.filter((c) => !c.decrypted).slice(0, 20))
    lines.push(`  still encrypted: #${c.id} (${forTerminal(c.reason)})`);
  if (keys.matched.size === 0)
    lines.push(
      '  the key log matches no TLS session of this capture (its client randoms are not in it): was it written for another session?',
    );
  return lines;
}
