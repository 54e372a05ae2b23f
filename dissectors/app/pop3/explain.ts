/** POP3 explanations (one reviewed table). RFC 1939, RFC 2449, RFC 2595, RFC 5034. */
import { nearestWords } from '../did-you-mean';
import { printable } from '../output';
export const POP3_COMMANDS: Record<string, string> = {
  USER: 'The client gives the mailbox name (username), in clear text.',
  PASS: 'The client sends the password in clear text: anyone who captures this connection can read it.',
  APOP: 'APOP logs in with an MD5 digest of the server\'s greeting timestamp and the password, so the password itself is not sent.',
  AUTH: 'SASL login: the mechanism decides what travels (PLAIN is base64 of username and password, readable by anyone).',
  CAPA: 'Asks the server which capabilities it supports.',
  STLS: 'The client asks to switch this connection to TLS; after the server\'s +OK the bytes are a TLS handshake.',
  STAT: 'Asks how many messages are in the mailbox and their total size.',
  LIST: 'Lists the messages with their sizes (or one message, with an argument).',
  UIDL: 'Lists the messages with their unique ids (the client uses them to remember what it already downloaded).',
  RETR: 'Retrieves a whole message: headers and body follow, ended by a line with a single dot.',
  TOP: 'Retrieves the headers of a message and the first N lines of its body.',
  DELE: 'Marks a message for deletion; it is removed when the session ends with QUIT.',
  RSET: 'Unmarks every message marked for deletion in this session.',
  NOOP: 'No operation: the server just answers +OK.',
  QUIT: 'Ends the session: the server deletes the marked messages (UPDATE state) and closes the connection.',
};

export const POP3_NOTES = {
  greeting: 'The server is ready: the session starts in the AUTHORIZATION state (the client must log in).',
  ok: '+OK: the command succeeded.',
  err: '-ERR: the server refused the command; the text after -ERR says why.',
  deleted: 'The message is marked for deletion; the server removes it when the session ends with QUIT (RSET would unmark it).',
  reset: 'Every message marked with DELE in this session is unmarked: nothing will be deleted at QUIT.',
  userOk: 'The server took the user name and waits for PASS (many servers answer +OK even for an unknown user, so as not to reveal which users exist).',
  loggedIn: 'Logged in: the session is now in the TRANSACTION state (the client may read and delete messages).',
  stat: 'STAT answers with the number of messages and the total size in octets.',
  quit: 'The server ends the session; messages marked with DELE are deleted now (UPDATE state).',
  stls: 'The server agrees to start TLS: the next bytes are a TLS handshake and the rest is encrypted.',
  retr: 'The message as stored on the server, ended by a line with a single dot (lines starting with a dot were sent with an extra dot).',
  passVisible: 'The password travels in clear text.',
  saslChallenge: 'A SASL challenge, base64-encoded (decoded here).',
  saslAnswer: 'The client\'s SASL answer, base64-encoded (decoded here): base64 is not encryption.',
  notPop3: 'A line that is not a POP3 reply.',
  multi: {
    LIST: 'The message list: one line per message, number and size in octets, ended by a dot.',
    UIDL: 'The unique-id list: one line per message, ended by a dot.',
    CAPA: 'The capability list, ended by a dot.',
    TOP: 'The headers and the first lines of the message, ended by a dot.',
  } as Record<string, string>,
} as const;

/** Commands a POP3 server accepts before login (RFC 1939 §4, RFC 2449, RFC 2595, RFC 5034). */
export const AUTHORIZATION_COMMANDS = new Set(['USER', 'PASS', 'APOP', 'AUTH', 'CAPA', 'STLS', 'QUIT']);

/** RFC 2449 §8 / RFC 3206 response codes in brackets after -ERR. */
const ERR_CODES: Record<string, string> = {
  AUTH: '[AUTH] means the user name or password is wrong (RFC 3206).',
  'SYS/TEMP': '[SYS/TEMP] means a temporary problem on the server: trying again later may work.',
  'SYS/PERM': '[SYS/PERM] means a lasting problem on the server: trying again will not help.',
  'IN-USE': '[IN-USE] means another session already has this mailbox open (a mail client may still be connected).',
  'LOGIN-DELAY': '[LOGIN-DELAY] means this user logged in too recently: the server allows logins only every few minutes.',
};

/** The client's message number (RETR 2, DELE 2, TOP 2 0, LIST 2, UIDL 2), or null. */
export function messageNumberOf(verb: string, arg: string): number | null {
  if (!['RETR', 'TOP', 'DELE', 'LIST', 'UIDL'].includes(verb)) return null;
  const m = /^\s*(\d{1,9})(?:\s|$)/.exec(arg);
  return m ? Number(m[1]) : null;
}

/**
 * Why a -ERR came back, for the command it answers: a refused login, a message number that does not
 * exist (or is marked deleted), a command sent before login, a command the server does not know.
 * `code` is a stable diagnostic code when the reply is one of the lesson's mistakes. `messages`: the
 * mailbox size the server gave (STAT), when known.
 */
export function explainPop3Error(verb: string, arg: string, text: string, loggedIn: boolean, messages: number | null = null): { explain: string; code: string | null } {
  const bracket = /^\[([A-Z/-]+)\]/.exec(text)?.[1];
  const codeNote = bracket && ERR_CODES[bracket] ? ` ${ERR_CODES[bracket]}` : '';
  if (verb === 'PASS' || verb === 'APOP' || verb === 'AUTH') {
    return {
      explain: `Login refused: the user name or the password is wrong (or the server does not allow this login here).${codeNote} The session stays in the AUTHORIZATION state: ${verb === 'PASS' ? 'send USER and PASS again' : `send ${verb} again`} with the right password.`,
      code: 'pop3.login.refused',
    };
  }
  if (verb === 'USER') {
    return { explain: `The server refused this user name (some servers refuse USER/PASS in clear text before STLS).${codeNote}`, code: 'pop3.login.refused' };
  }
  if (verb === 'STLS') return { explain: 'The server refused STLS: the session stays in clear text.', code: null };
  if (!POP3_COMMANDS[verb]) {
    const near = nearestWords(verb, Object.keys(POP3_COMMANDS));
    const hint = near.length ? ` Did you mean ${near.join(' or ')}?` : ' Check its spelling (POP3 commands are USER, PASS, STAT, LIST, RETR, DELE, QUIT …).';
    return { explain: `The server does not know the command “${printable(verb, 40)}”.${hint}`, code: 'pop3.command.unknown' };
  }
  if (!loggedIn && !AUTHORIZATION_COMMANDS.has(verb)) {
    return {
      explain: `${verb} is refused because the client has not logged in yet: before login (AUTHORIZATION state) a POP3 server accepts only USER, PASS, APOP, AUTH, CAPA, STLS and QUIT. Log in with USER and PASS first.`,
      code: 'pop3.command.before_login',
    };
  }
  const n = messageNumberOf(verb, arg);
  if (n !== null && !bracket) {
    if (/delet/i.test(text)) return { explain: `Message ${n} is marked for deletion in this session (DELE), so the server no longer shows it; RSET would unmark it.`, code: 'pop3.message.deleted' };
    // Said only when the server's words (or the mailbox size it gave) show the number is wrong.
    if (/no (such )?message|not exist|invalid message|unknown message|out of range|not found/i.test(text) || (messages !== null && n > messages)) {
      return { explain: `There is no message ${n} in this mailbox: message numbers are the ones LIST shows (1, 2, … up to the count STAT gives).`, code: 'pop3.message.missing' };
    }
  }
  return { explain: `${POP3_NOTES.err}${codeNote}`, code: null };
}

/** -ERR [IN-USE] and [SYS/TEMP] are temporary (RFC 2449, RFC 3206); every other -ERR is final. */
export function isTemporaryPop3Error(text: string): boolean {
  return /^\[(IN-USE|SYS\/TEMP|LOGIN-DELAY)\]/.test(text);
}
