/**
 * Diagnostics: Wireshark "expert info" + Zeek "weirds". Codes are stable dotted names
 * (`ipv4.header.truncated`, `tcp.segment.retransmission`, `smtp.reply.code_invalid`); tests assert on codes.
 */
export type Severity = 'chat' | 'note' | 'warn' | 'error';

export type DiagnosticGroup =
  | 'malformed'
  | 'sequence'
  | 'reassemble'
  | 'protocol'
  | 'security'
  | 'undecoded'
  | 'capture';

export interface Diagnostic {
  code: string;
  severity: Severity;
  group: DiagnosticGroup;
  message: string;
  /** 1-based frame number the diagnostic is about, when it concerns one frame. */
  frame?: number;
}

export function diag(
  code: string,
  severity: Severity,
  group: DiagnosticGroup,
  message: string,
  frame?: number,
): Diagnostic {
  return frame === undefined ? { code, severity, group, message } : { code, severity, group, message, frame };
}
