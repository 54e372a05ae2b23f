/**
 * The SMTP explanations a learner reads next to each ladder arrow: one reviewed table, not strings
 * scattered through the dissector. Sources: RFC 5321 (SMTP), RFC 3207 (STARTTLS), RFC 4954 (AUTH),
 * RFC 3030 (BDAT), RFC 2920 (PIPELINING).
 */
export const SMTP_COMMANDS: Record<string, string> = {
  HELO: 'The client greets the server and names itself (the original SMTP greeting, no extensions).',
  EHLO: 'The client greets the server, names itself and asks for extended SMTP (ESMTP): a server that accepts answers 250 with the list of extensions it supports.',
  MAIL: 'MAIL FROM starts a message and gives the envelope sender: where bounces go. It is not the From: header the reader sees, and nothing forces the two to match.',
  RCPT: 'RCPT TO adds one envelope recipient: who the server will deliver to. Recipients that never appear in the To: or Cc: headers are blind copies (Bcc).',
  DATA: 'The client asks to send the message itself (headers and body); the server answers 354 and then reads until a line with a single dot.',
  BDAT: 'BDAT sends the next chunk of the message as an exact byte count (CHUNKING), so no dot-stuffing is needed; LAST marks the final chunk.',
  RSET: 'Reset: forget the message in progress (envelope and content) but keep the connection.',
  NOOP: 'No operation: the server just answers 250 (used to keep a connection alive or test it).',
  QUIT: 'The client ends the session; the server answers 221 and closes the connection.',
  VRFY: 'Asks the server whether a mailbox exists (most servers refuse, because it helps spammers).',
  EXPN: 'Asks the server to expand a mailing list (usually refused).',
  HELP: 'Asks the server for help text.',
  STARTTLS:
    "The client asks to switch this same connection to TLS. After the server's 220 the next bytes are a TLS handshake, and everything after it is encrypted.",
  AUTH: 'The client logs in (SMTP AUTH). With PLAIN and LOGIN the username and password are only base64-encoded: base64 is an encoding, not encryption, so anyone who captures the traffic can read them.',
};

export const SMTP_NOTES = {
  dataContent:
    'The message as it travels: headers (From:, To:, Subject: …) then a blank line and the body. Lines starting with a dot were sent with an extra dot (dot-stuffing) and are shown without it.',
  dataEnd: 'A line with a single dot ends the message.',
  bcc: 'Recipients in the envelope that no To:/Cc: header names: blind copies (Bcc).',
  authLoginUser: 'The username, base64-encoded (decoded here). Base64 hides nothing.',
  authLoginPass: 'The password, base64-encoded (decoded here). Anyone who captures this can read it.',
  authPlain:
    'AUTH PLAIN sends authorization id, username and password in one base64 string, separated by NUL bytes (decoded here). Anyone who captures this can read them.',
  cramMd5:
    'CRAM-MD5 answers a challenge with the username and an HMAC-MD5 of it: the password itself is not sent.',
  notCommand:
    'A line sent where the server expects a command, but it is not an SMTP command (a typo, or message text sent without a DATA the server accepted). The server answers it like any command, usually with 500 or 502.',
  pipelined:
    'Sent before the reply to the previous command arrived (PIPELINING, RFC 2920): replies are matched to commands in order.',
  pipeliningAdvertised: 'The server advertised PIPELINING in its EHLO reply.',
  pipeliningNotAdvertised:
    'The server did not advertise PIPELINING in its EHLO reply, so the client should have waited for each reply.',
  pipeliningUnknown: 'No EHLO reply was seen, so it is not known whether the server offers PIPELINING.',
  ehloNoExtensions: 'The server accepts the greeting but lists no extensions.',
  ehloExtensions: 'The server accepts the greeting; the other lines list the ESMTP extensions it supports.',
  ehloRefused: 'The server did not accept this EHLO (see the reply code): no extension list follows.',
  dotSilence:
    'The server never answered the final dot. The dot line ends with LF only, and many servers end a message only at CR LF . CR LF: for this one the message went on, and everything typed after it was part of the message. Fix: type with `nc -C` or `ncat --crlf`, or telnet.',
  afterUnendedDot:
    'No reply: for the server the message had not ended (the dot line before ended with LF only), so it read this line as message text, not as a command.',
  dotNotAlone:
    'This line holds a dot with other characters around it (spaces?): only a line with a single dot and nothing else ends the message, so the server keeps reading the message.',
  dotNotStuffed:
    'This line starts with a dot: the server removes the first dot of every line that starts with one (dot-stuffing, RFC 5321 §4.5.2), so the recipient reads it without the dot. To send a line starting with a dot, type two dots.',
  starttlsTyped:
    'After the server’s 220 to STARTTLS, it expects the next bytes to be a TLS handshake (a ClientHello, starting with byte 0x16), not text. A telnet or nc session cannot speak TLS: what is typed now breaks the handshake, and the server usually closes the connection. To try STARTTLS by hand use `openssl s_client -starttls smtp -connect host:port`.',
  afterStarttlsServer:
    'The server’s answer to bytes that are not a TLS handshake (a TLS alert, or nothing before it closes).',
} as const;

export { explainSmtpReply } from './reply-codes';

/** A reply explained for the command it answers, where that says more than the code alone. */
export const SMTP_REPLY_FOR: Record<string, Record<string, string>> = {
  '250': {
    HELO: 'The server accepts the greeting.',
    MAIL: 'The server accepts the envelope sender.',
    RCPT: 'The server accepts this recipient.',
    '.': 'The server accepted the message: from now on delivering it is the server’s job.',
    BDAT: 'The server accepted this chunk of the message.',
    RSET: 'The server forgot the message in progress.',
    NOOP: 'The server is there and answers (NOOP does nothing else).',
  },
  '220': {
    STARTTLS: 'The server is ready to start TLS: the next bytes on this connection must be a TLS handshake.',
  },
  '221': { QUIT: 'Goodbye: the server closes the connection (the answer to QUIT).' },
};
