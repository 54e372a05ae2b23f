/**
 * The mistakes a class makes typing SMTP by hand, recognised from the command and the server's
 * reply, each with a stable diagnostic code, a plain explanation and the fix. Pure: smtp.ts calls
 * these and puts the result on the ladder event and in the diagnostics.
 */
import { nearestWords } from '../did-you-mean';
import { printable } from '../output';

/** SMTP commands a lesson uses (RFC 5321 and the usual extensions). */
export const SMTP_VERBS = [
  'HELO',
  'EHLO',
  'MAIL',
  'RCPT',
  'DATA',
  'BDAT',
  'RSET',
  'NOOP',
  'QUIT',
  'VRFY',
  'EXPN',
  'HELP',
  'STARTTLS',
  'AUTH',
] as const;

/** Other commands servers know (no "did you mean" for them). */
const OTHER_VERBS = new Set([
  'ETRN',
  'ATRN',
  'TURN',
  'SEND',
  'SOML',
  'SAML',
  'BURL',
  'XCLIENT',
  'XFORWARD',
  'XEXCH50',
  'X-EXPS',
  'LHLO',
]);

const FULL: Record<string, string> = {
  MAIL: 'MAIL FROM:<address>',
  RCPT: 'RCPT TO:<address>',
  HELO: 'HELO',
  EHLO: 'EHLO',
};

export interface Mistake {
  code: string;
  severity: 'note' | 'warn';
  /** One or two plain sentences with the fix: shown on the event and as the diagnostic. */
  text: string;
}

export function isKnownVerb(verb: string): boolean {
  return (SMTP_VERBS as readonly string[]).includes(verb) || OTHER_VERBS.has(verb);
}

/** "did you mean RCPT TO?" for a verb no server knows, or null. */
export function suggestVerb(verb: string): string | null {
  const near = nearestWords(verb, SMTP_VERBS);
  if (!near.length) return null;
  const names = near.map((v) => FULL[v] ?? v);
  if (names.includes('HELO') || names.includes('EHLO')) return 'HELO or EHLO';
  return names.join(' or ');
}

/** What the server's answer to a command it does not know means. */
export function unknownCommand(typed: string, replyCode: string | null): Mistake {
  const hint = suggestVerb(typed.toUpperCase());
  const what =
    typed === ''
      ? 'An empty line is not an SMTP command'
      : `“${printable(typed, 30)}” is not an SMTP command`;
  const answer =
    replyCode === null
      ? ''
      : replyCode.startsWith('5')
        ? `, so the server refused it (${replyCode})`
        : replyCode.startsWith('2')
          ? ` (this server accepted it anyway: ${replyCode})`
          : ` (the server answered ${replyCode})`;
  return {
    code: 'smtp.command.unknown',
    severity: 'warn',
    text: `${what}${answer}.${hint ? ` Did you mean ${hint}?` : ' The commands are HELO/EHLO, MAIL FROM:, RCPT TO:, DATA, RSET, NOOP and QUIT.'}`,
  };
}

/**
 * MAIL/RCPT argument problems: the keyword mistyped (`MAIL FORM:`), or the address written without
 * angle brackets (`MAIL FROM: pari@x`). `replyCode`: the server's answer (null: none seen).
 */
export function pathMistake(verb: 'MAIL' | 'RCPT', arg: string, replyCode: string | null): Mistake | null {
  const keyword = verb === 'MAIL' ? 'FROM' : 'TO';
  const m = /^\s*([A-Za-z]+)\s*(:?)\s*(.*)$/.exec(arg);
  const word = (m?.[1] ?? '').toUpperCase();
  const refused = replyCode !== null && /^[45]/.test(replyCode);
  const reaction =
    replyCode === null
      ? ''
      : refused
        ? ` The server refused it (${replyCode}).`
        : ` This server accepted it anyway (${replyCode}); a stricter one answers 501.`;
  if (word !== keyword || m?.[2] !== ':') {
    const typed = printable(`${verb} ${arg}`, 60);
    return {
      code: verb === 'MAIL' ? 'smtp.mail.syntax' : 'smtp.rcpt.syntax',
      severity: 'warn',
      text: `In “${typed}”, ${verb} must be followed by ${keyword}: and the address in <angle brackets>.${reaction} Did you mean ${FULL[verb]}?`,
    };
  }
  const rest = (m?.[3] ?? '').trim();
  const address = rest.split(/\s+/)[0] ?? '';
  if (address && !address.startsWith('<')) {
    return {
      code: 'smtp.path.no_brackets',
      severity: refused ? 'warn' : 'note',
      text: `The address is written without angle brackets: SMTP wants ${verb} ${keyword}:<${printable(address, 60)}>.${reaction}`,
    };
  }
  return null;
}

/** The state of the envelope when DATA was sent, to explain a 503. */
export interface EnvelopeState {
  mailFrom: boolean;
  recipients: number;
  /** Messages already sent in this session (a second DATA needs a new MAIL FROM). */
  messagesSent: number;
}

/** DATA refused with 503 (bad sequence). */
export function dataOutOfSequence(state: EnvelopeState, replyCode: string): Mistake | null {
  if (replyCode !== '503') return null;
  let why: string;
  if (!state.mailFrom && state.messagesSent > 0)
    why =
      'The message before was already sent, and that emptied the envelope: every message needs its own MAIL FROM and RCPT TO before DATA.';
  else if (!state.mailFrom)
    why =
      'DATA came before MAIL FROM: the server needs the envelope first — MAIL FROM:<sender>, then at least one RCPT TO:<recipient>, then DATA.';
  else if (state.recipients === 0)
    why =
      'DATA came before any RCPT TO: the server needs at least one recipient — RCPT TO:<recipient> — before DATA.';
  else
    why =
      'The server did not accept the envelope (MAIL FROM or every RCPT TO was refused), so there is nothing to send DATA for.';
  return {
    code: 'smtp.data.bad_sequence',
    severity: 'warn',
    text: `503 means “bad sequence of commands”. ${why}`,
  };
}

/** A second HELO/EHLO the server refused. */
export function greetingRefused(verb: string, replyCode: string): Mistake | null {
  if (replyCode !== '503') return null;
  return {
    code: 'smtp.greeting.duplicate',
    severity: 'note',
    text: `The server refused this ${verb} because the session already has a greeting (503: bad sequence). The first greeting still holds; to start over, close the connection and connect again.`,
  };
}
