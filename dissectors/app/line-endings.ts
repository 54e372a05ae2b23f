/**
 * Line endings of text protocols typed by hand. SMTP (RFC 5321 §2.3.8), POP3 (RFC 1939 §3) and FTP
 * (RFC 959 §4.1, Telnet end-of-line) end every line with CRLF (bytes 0x0D 0x0A); `nc` without `-C`
 * sends only LF (0x0A), the Unix newline. Strict servers keep waiting for the CR LF that never comes,
 * so they never answer; lenient ones accept the bare LF. HTTP/1.1 (RFC 9112 §2.2) also asks for CRLF
 * but lets servers accept a bare LF, and most do. Pure: the handlers decide when to say it.
 */

export type LineProtocol = 'SMTP' | 'POP3' | 'FTP';

/** How to make the terminal send CRLF. */
export const CRLF_FIX =
  'type with `nc -C host port`, `ncat --crlf host port` or `telnet host port`, which send CR LF at Enter';

/** True for a complete line that ended with LF alone (no CR before it). */
export function endsWithBareLf(line: { terminator: 'CRLF' | 'LF' | 'none' }): boolean {
  return line.terminator === 'LF';
}

/** Said on the first client line that ends with LF only. */
export function bareLfNote(protocol: LineProtocol): string {
  return (
    `This line ends with LF only (byte 0x0A, a Unix newline), not CR LF (0x0D 0x0A): ${protocol} requires CR LF at the end of every line. ` +
    `Depending on the server, it waits for the end of the line and never answers, refuses the line, or accepts it anyway. Fix: ${CRLF_FIX}.`
  );
}

/** Said when commands sent with bare LF got no reply at all before the capture ended. */
export function bareLfSilenceNote(protocol: LineProtocol, unanswered: number): string {
  return (
    `The server never answered ${unanswered === 1 ? 'this command' : `these ${unanswered} commands`}. Their lines end with LF only, and ${protocol} lines end with CR LF: ` +
    `a server that reads a command only once CR LF arrives is still waiting for the end of the first line. Nothing else is wrong with the commands. Fix: ${CRLF_FIX}.`
  );
}

/** Said on an HTTP request whose lines end with LF only. */
export const HTTP_BARE_LF_NOTE =
  'The request lines end with LF only (0x0A), not CR LF: HTTP/1.1 asks for CR LF, but allows a server to accept a bare LF, and most do. `nc -C` or `ncat --crlf` sends CR LF.';
