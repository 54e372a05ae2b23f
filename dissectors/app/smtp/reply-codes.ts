/**
 * What each SMTP reply code and enhanced status code means, in words a learner who never saw SMTP
 * understands. Sources: RFC 5321 §4.2 (basic codes), RFC 4954 (AUTH: 235, 334, 454, 530, 534, 535,
 * 538), RFC 3207 (STARTTLS: 454, 530), RFC 1869/5321 (555), RFC 3463 and the IANA registry
 * (enhanced status codes class.subject.detail).
 */

/** Reply codes, explained one by one. */
export const SMTP_REPLY_CODES: Record<string, string> = {
  '211': 'System status, or a help reply.',
  '214': 'Help text for a human reader.',
  '220':
    'Service ready: the server greets you when you connect (or, answering STARTTLS, it is ready to start TLS).',
  '221': 'Goodbye: the server closes the connection (the answer to QUIT).',
  '235': 'Authentication succeeded: the client is logged in.',
  '250': 'OK: the command was accepted.',
  '251': 'The recipient is not local: the server accepts the message and will forward it.',
  '252': 'The server cannot check this user (VRFY) but will accept a message for it and try to deliver it.',
  '334': "An AUTH challenge: the text after 334 is base64. Decoded, it is the server's prompt.",
  '354':
    'Go ahead: send the message (headers, a blank line, the body) and end it with a line holding only a dot.',
  '421':
    'Service not available: the server is closing the connection (overloaded, shutting down, or the client was idle too long). Try again later.',
  '450':
    'The mailbox is unavailable for now (busy, or greylisting: a temporary refusal that asks real senders to try again). Try again later.',
  '451': 'The server hit a local error and gave up on this command. Try again later.',
  '452': 'Not enough storage on the server, or too many recipients, for now. Try again later.',
  '454':
    'Temporary failure: the login could not be checked, or TLS is not available right now. Try again later.',
  '455': 'The server cannot accept these parameters right now. Try again later.',
  '500':
    'Syntax error: the server does not recognise this command (often a typo, or a line that is too long).',
  '501':
    'Syntax error in the parameters (for example an address written without <angle brackets> where the server requires them).',
  '502':
    'Command not implemented: the server does not support this command (many servers also answer 502 to a word they do not know).',
  '503':
    'Bad sequence of commands: this command is not allowed at this point (for example DATA before MAIL FROM and RCPT TO, or a second MAIL FROM).',
  '504': 'Parameter not implemented (for example an AUTH mechanism the server does not offer).',
  '530':
    'Authentication required: log in with AUTH first (some servers also answer 530 when STARTTLS must come first).',
  '534': 'This login mechanism is too weak for the server: use a stronger one, or start TLS first.',
  '535': 'Authentication failed: the username or password was not accepted.',
  '538': 'This login mechanism needs an encrypted connection: start TLS first.',
  '550':
    'Refused: the mailbox is unavailable (no such user, relaying not allowed, or a policy). This is permanent.',
  '551': 'The user is not local and the server will not forward: the reply may say where to send instead.',
  '552': 'Storage exceeded: the message is too big, or the mailbox is full.',
  '553': 'Mailbox name not allowed: the address is malformed or not permitted.',
  '554': 'Transaction failed (as the greeting: no SMTP service here). Often a policy rejection.',
  '555':
    'The MAIL FROM or RCPT TO parameters (ESMTP options after the address) are not recognised or not supported.',
};

/** The first digit of a reply, when the whole code is not in the table. */
export const SMTP_REPLY_CLASSES: Record<string, string> = {
  '2': 'Success.',
  '3': 'The server waits for more input from the client.',
  '4': 'Temporary failure: the client may try again later.',
  '5': 'Permanent failure: the command was refused.',
};

export function explainSmtpReply(code: string): string {
  return (
    SMTP_REPLY_CODES[code] ?? SMTP_REPLY_CLASSES[code[0]] ?? 'A reply code this dissector does not know.'
  );
}

const ENHANCED_CLASS: Record<string, string> = {
  '2': 'success',
  '4': 'temporary failure (try again later)',
  '5': 'permanent failure',
};

const ENHANCED_SUBJECT: Record<string, string> = {
  '0': 'with no more detail',
  '1': 'about an address',
  '2': 'about the mailbox',
  '3': 'about the mail system',
  '4': 'about the network and routing',
  '5': 'about the mail protocol',
  '6': 'about the message content',
  '7': 'about security or policy',
};

/** subject.detail → meaning (RFC 3463 and later registrations). Said of failures unless the class is 2. */
const ENHANCED_DETAIL: Record<string, string> = {
  '0.0': 'nothing more specific to say',
  '1.0': 'a problem with an address',
  '1.1': 'bad destination mailbox address: no such user here',
  '1.2': 'bad destination system: the domain after @ does not exist or takes no mail',
  '1.3': 'bad destination mailbox address syntax',
  '1.5': 'the destination address is valid',
  '1.6': 'the mailbox has moved',
  '1.7': "bad sender's address syntax",
  '1.8': "bad sender's domain",
  '1.10': 'the recipient domain accepts no mail (null MX)',
  '2.0': 'a problem with the mailbox',
  '2.1': 'the mailbox is disabled and does not accept messages',
  '2.2': 'the mailbox is full',
  '2.3': 'the message is longer than the limit',
  '2.4': 'a mailing list expansion problem',
  '3.0': 'a problem with the mail system',
  '3.1': 'the mail system is full',
  '3.2': 'the system is not accepting messages',
  '3.4': 'the message is too big for the system',
  '3.5': 'the system is incorrectly configured',
  '4.0': 'a network or routing problem',
  '4.1': 'no answer from the next host',
  '4.2': 'bad connection',
  '4.4': 'unable to route the message',
  '4.7': 'delivery time expired',
  '5.0': 'a protocol problem',
  '5.1': 'invalid command',
  '5.2': 'syntax error',
  '5.3': 'too many recipients',
  '5.4': 'invalid command arguments',
  '5.5': 'wrong protocol version',
  '5.6': 'an authentication line is too long',
  '6.0': 'a problem with the message content',
  '6.1': 'media not supported',
  '6.3': 'conversion required but not supported',
  '6.7': 'non-ASCII addresses not permitted',
  '7.0': 'a security or policy matter (after AUTH or with 530: authentication required)',
  '7.1': 'delivery not authorized: the message or address was refused by policy',
  '7.4': 'security features not supported',
  '7.8': 'authentication credentials invalid: wrong username or password',
  '7.9': 'the authentication mechanism is too weak',
  '7.11': 'encryption is required for this authentication mechanism',
  '7.12': 'a password transition is needed',
  '7.13': 'the user account is disabled',
  '7.23': 'SPF validation failed',
  '7.25': 'reverse DNS validation failed',
  '7.26': 'multiple authentication checks (SPF, DKIM) failed',
};

/** The enhanced status code at the start of a reply line (`2.0.0 Ok`), or null. */
export function enhancedCodeOf(text: string): string | null {
  return /^([245])\.(\d{1,3})\.(\d{1,3})(?:\s|$)/.exec(text)?.[0].trim() ?? null;
}

/** `5.7.8` → "5.7.8 = permanent failure, security or policy: authentication credentials invalid: wrong username or password". */
export function explainEnhancedCode(code: string): string | null {
  const m = /^([245])\.(\d{1,3})\.(\d{1,3})$/.exec(code);
  if (!m) return null;
  const [, cls, subject, detail] = m;
  const what = ENHANCED_DETAIL[`${subject}.${detail}`];
  const head = `${code} = ${ENHANCED_CLASS[cls]}, ${ENHANCED_SUBJECT[subject] ?? `subject ${subject}`}`;
  // A success says nothing about a failure: details named after failures are not repeated for class 2.
  if (cls === '2') return detail === '0' || !what || subject === '7' ? head : `${head}: ${what}`;
  return what ? `${head}: ${what}` : head;
}
