/**
 * The SMTP explanations a learner reads next to each ladder arrow: one reviewed table, not strings
 * scattered through the dissector. Sources: RFC 5321 (SMTP), RFC 3207 (STARTTLS), RFC 4954 (AUTH),
 * RFC 3030 (BDAT), RFC 2920 (PIPELINING).
 */
export const SMTP_COMMANDS: Record<string, string> = {
  HELO: 'The client greets the server and names itself (the original SMTP greeting, no extensions).',
  EHLO: 'The client greets the server and names itself; the server answers with the list of extensions it supports (ESMTP).',
  'MAIL': 'MAIL FROM starts a message and gives the envelope sender: where bounces go. It is not the From: header the reader sees, and nothing forces the two to match.',
  'RCPT': 'RCPT TO adds one envelope recipient: who the server will deliver to. Recipients that never appear in the To: or Cc: headers are blind copies (Bcc).',
  DATA: 'The client asks to send the message itself (headers and body); the server answers 354 and then reads until a line with a single dot.',
  BDAT: 'BDAT sends the next chunk of the message as an exact byte count (CHUNKING), so no dot-stuffing is needed; LAST marks the final chunk.',
  RSET: 'Reset: forget the message in progress (envelope and content) but keep the connection.',
  NOOP: 'No operation: the server just answers 250 (used to keep a connection alive or test it).',
  QUIT: 'The client ends the session; the server answers 221 and closes the connection.',
  VRFY: 'Asks the server whether a mailbox exists (most servers refuse, because it helps spammers).',
  EXPN: 'Asks the server to expand a mailing list (usually refused).',
  HELP: 'Asks the server for help text.',
  STARTTLS: 'The client asks to switch this same connection to TLS. After the server\'s 220 the next bytes are a TLS handshake, and everything after it is encrypted.',
  AUTH: 'The client logs in (SMTP AUTH). With PLAIN and LOGIN the username and password are only base64-encoded: base64 is an encoding, not encryption, so anyone who captures the traffic can read them.',
};

export const SMTP_REPLY_CLASSES: Record<string, string> = {
  '2': 'Success.',
  '3': 'The server waits for more input from the client.',
  '4': 'Temporary failure: the client may try again later.',
  '5': 'Permanent failure: the command was refused.',
};

export const SMTP_REPLIES: Record<string, string> = {
  '220': 'The server is ready (the greeting banner), or, after STARTTLS, ready to start TLS.',
  '221': 'The server closes the connection.',
  '235': 'Authentication succeeded: the client is logged in.',
  '250': 'Requested action OK.',
  '251': 'The user is not local; the server will forward the message.',
  '334': 'An AUTH challenge: the text after 334 is base64. Decoded, it is the server\'s prompt.',
  '354': 'Start mail input: send the headers and body, and end with a line containing only a dot.',
  '421': 'The service is not available; the server is closing the connection.',
  '450': 'Mailbox unavailable (temporarily).',
  '451': 'Local error while processing; try again later.',
  '452': 'Insufficient storage (temporarily).',
  '500': 'Syntax error: command not recognised.',
  '501': 'Syntax error in the parameters.',
  '502': 'Command not implemented.',
  '503': 'Bad sequence of commands.',
  '504': 'Parameter not implemented.',
  '530': 'Authentication required (or STARTTLS first).',
  '535': 'Authentication failed: wrong username or password.',
  '550': 'Mailbox unavailable: the server refuses this address.',
  '552': 'Message too big or storage exceeded.',
  '553': 'Mailbox name not allowed.',
  '554': 'Transaction failed.',
};

export const SMTP_NOTES = {
  dataContent: 'The message as it travels: headers (From:, To:, Subject: …) then a blank line and the body. Lines starting with a dot were sent with an extra dot (dot-stuffing) and are shown without it.',
  dataEnd: 'A line with a single dot ends the message.',
  spoofed: 'The From: header differs from the envelope sender (MAIL FROM). SMTP does not check the header, so it can name anyone: this is how spoofed mail works.',
  bcc: 'Recipients in the envelope that no To:/Cc: header names: blind copies (Bcc).',
  authLoginUser: 'The username, base64-encoded (decoded here). Base64 hides nothing.',
  authLoginPass: 'The password, base64-encoded (decoded here). Anyone who captures this can read it.',
  authPlain: 'AUTH PLAIN sends authorization id, username and password in one base64 string, separated by NUL bytes (decoded here). Anyone who captures this can read them.',
  cramMd5: 'CRAM-MD5 answers a challenge with the username and an HMAC-MD5 of it: the password itself is not sent.',
  notCommand: 'A line that is not an SMTP command (for example message text sent without a DATA the server accepted).',
  pipelined: 'Sent before the previous replies arrived (PIPELINING): replies are matched to commands in order.',
} as const;

export function explainSmtpReply(code: string): string {
  return SMTP_REPLIES[code] ?? SMTP_REPLY_CLASSES[code[0]] ?? 'A reply code this dissector does not know.';
}
