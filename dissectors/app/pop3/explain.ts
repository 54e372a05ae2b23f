/** POP3 explanations (one reviewed table). RFC 1939, RFC 2449, RFC 2595, RFC 5034. */
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
  err: '-ERR: the command failed.',
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
