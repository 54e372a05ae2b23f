/**
 * Conversations the bench generator puts on the wire: what a client and server say to each other in
 * SMTP, POP3, HTTP/1.1, FTP (control + passive data) and TLS, with realistic sizes.
 */
import type { Prng } from './prng';

export type Side = 'c' | 's';

export interface Turn {
  from: Side;
  data: Uint8Array;
}

export interface Conversation {
  protocol: 'smtp' | 'pop3' | 'http' | 'ftp' | 'ftp-data' | 'tls';
  serverPort: number;
  turns: Turn[];
  /** FTP: a data connection to open once the turn with this index has been sent. */
  dataConnection?: { afterTurn: number; port: number; conversation: Conversation };
}

const enc = new TextEncoder();
const text = (from: Side, s: string): Turn => ({ from, data: enc.encode(s) });

const NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'pari', 'student', 'teacher'];
const DOMAINS = ['example.com', 'school.test', 'mail.lab', 'class.example'];

function base64Lines(bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join('\r\n');
}

function addressOf(rng: Prng): string {
  return `${rng.pick(NAMES)}@${rng.pick(DOMAINS)}`;
}

function mailMessage(rng: Prng, from: string, to: string): string {
  const attachment = rng.bytes(rng.int(200, 60_000));
  const boundary = `b-${rng.int(1e6, 9e6)}`;
  return [
    `From: ${from}`,
    `To: ${to}`,
    `Subject: Lesson ${rng.int(1, 99)} notes`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Hello, the notes are attached.',
    `--${boundary}`,
    'Content-Type: application/octet-stream; name="notes.bin"',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="notes.bin"',
    '',
    base64Lines(attachment),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

export function smtpConversation(rng: Prng): Conversation {
  const from = addressOf(rng);
  const to = addressOf(rng);
  const user = Buffer.from(from).toString('base64');
  return {
    protocol: 'smtp',
    serverPort: rng.pick([25, 587, 1025]),
    turns: [
      text('s', '220 mail.lab ESMTP ready\r\n'),
      text('c', 'EHLO client.lab\r\n'),
      text('s', '250-mail.lab\r\n250-AUTH LOGIN PLAIN\r\n250-SIZE 10485760\r\n250 8BITMIME\r\n'),
      text('c', 'AUTH LOGIN\r\n'),
      text('s', '334 VXNlcm5hbWU6\r\n'),
      text('c', `${user}\r\n`),
      text('s', '334 UGFzc3dvcmQ6\r\n'),
      text('c', `${Buffer.from('ninja').toString('base64')}\r\n`),
      text('s', '235 2.7.0 Authentication successful\r\n'),
      text('c', `MAIL FROM:<${from}>\r\n`),
      text('s', '250 2.1.0 Ok\r\n'),
      text('c', `RCPT TO:<${to}>\r\n`),
      text('s', '250 2.1.5 Ok\r\n'),
      text('c', 'DATA\r\n'),
      text('s', '354 End data with <CR><LF>.<CR><LF>\r\n'),
      text('c', `${mailMessage(rng, from, to)}.\r\n`),
      text('s', `250 2.0.0 Ok: queued as ${rng.int(1e5, 9e5)}\r\n`),
      text('c', 'QUIT\r\n'),
      text('s', '221 2.0.0 Bye\r\n'),
    ],
  };
}

export function pop3Conversation(rng: Prng): Conversation {
  const msg = mailMessage(rng, addressOf(rng), addressOf(rng));
  return {
    protocol: 'pop3',
    serverPort: rng.pick([110, 1110]),
    turns: [
      text('s', '+OK POP3 ready\r\n'),
      text('c', `USER ${rng.pick(NAMES)}\r\n`),
      text('s', '+OK\r\n'),
      text('c', 'PASS ninja\r\n'),
      text('s', '+OK Logged in.\r\n'),
      text('c', 'STAT\r\n'),
      text('s', `+OK 1 ${msg.length}\r\n`),
      text('c', 'LIST\r\n'),
      text('s', `+OK 1 messages\r\n1 ${msg.length}\r\n.\r\n`),
      text('c', 'RETR 1\r\n'),
      text('s', `+OK ${msg.length} octets\r\n${msg}.\r\n`),
      text('c', 'DELE 1\r\n'),
      text('s', '+OK Marked to be deleted.\r\n'),
      text('c', 'QUIT\r\n'),
      text('s', '+OK Logging out.\r\n'),
    ],
  };
}

export function httpConversation(rng: Prng): Conversation {
  const turns: Turn[] = [];
  const requests = rng.int(1, 5);
  for (let i = 0; i < requests; i++) {
    const path = `/course/${rng.int(1, 500)}/page${i}.html`;
    turns.push(text('c', `GET ${path} HTTP/1.1\r\nHost: www.school.test\r\nUser-Agent: bench/1.0\r\nAccept: */*\r\n\r\n`));
    const body = rng.bytes(rng.int(100, 300_000));
    const head = `HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${body.length}\r\n\r\n`;
    const whole = new Uint8Array(head.length + body.length);
    whole.set(enc.encode(head), 0);
    whole.set(body, head.length);
    turns.push({ from: 's', data: whole });
  }
  return { protocol: 'http', serverPort: 80, turns };
}

export function ftpConversation(rng: Prng): Conversation {
  const port = rng.int(20000, 60000);
  const file = rng.bytes(rng.int(1000, 400_000));
  const turns = [
    text('s', '220 FTP ready\r\n'),
    text('c', 'USER student\r\n'),
    text('s', '331 Please specify the password.\r\n'),
    text('c', 'PASS ninja\r\n'),
    text('s', '230 Login successful.\r\n'),
    text('c', 'TYPE I\r\n'),
    text('s', '200 Switching to Binary mode.\r\n'),
    text('c', 'PASV\r\n'),
    text('s', `227 Entering Passive Mode (10,0,0,1,${port >> 8},${port & 255}).\r\n`),
    text('c', 'RETR notes.bin\r\n'),
    text('s', `150 Opening BINARY mode data connection for notes.bin (${file.length} bytes).\r\n`),
    text('s', '226 Transfer complete.\r\n'),
    text('c', 'QUIT\r\n'),
    text('s', '221 Goodbye.\r\n'),
  ];
  return {
    protocol: 'ftp',
    serverPort: 21,
    turns,
    dataConnection: {
      afterTurn: 9,
      port,
      conversation: { protocol: 'ftp-data', serverPort: port, turns: [{ from: 's', data: file }] },
    },
  };
}

function tlsRecord(type: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + body.length);
  out.set([type, 3, 3, body.length >> 8, body.length & 255]);
  out.set(body, 5);
  return out;
}

function handshake(type: number, body: number[]): Uint8Array {
  return Uint8Array.from([type, 0, body.length >> 8, body.length & 255, ...body]);
}

function u16(n: number): number[] {
  return [n >> 8, n & 255];
}

function extension(type: number, body: number[]): number[] {
  return [...u16(type), ...u16(body.length), ...body];
}

function clientHello(rng: Prng, sni: string): Uint8Array {
  const name = [...enc.encode(sni)];
  const sniExt = extension(0, [...u16(name.length + 3), 0, ...u16(name.length), ...name]);
  const alpn = [2, ...enc.encode('h2'), 8, ...enc.encode('http/1.1')];
  const exts = [
    ...sniExt,
    ...extension(0x2b, [4, 3, 4, 3, 3]),
    ...extension(0x10, [...u16(alpn.length), ...alpn]),
  ];
  const suites = [0x13, 0x01, 0x13, 0x02, 0xc0, 0x2f];
  const body = [3, 3, ...rng.bytes(32), 32, ...rng.bytes(32), ...u16(suites.length), ...suites, 1, 0, ...u16(exts.length), ...exts];
  const rec = tlsRecord(22, handshake(1, body));
  rec[2] = 1; // record version 3.1 as real clients send
  return rec;
}

function serverHello(rng: Prng): Uint8Array {
  const exts = extension(0x2b, [3, 4]);
  const body = [3, 3, ...rng.bytes(32), 32, ...rng.bytes(32), 0x13, 0x01, 0, ...u16(exts.length), ...exts];
  return tlsRecord(22, handshake(2, body));
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function tlsConversation(rng: Prng): Conversation {
  const turns: Turn[] = [
    { from: 'c', data: clientHello(rng, `www${rng.int(1, 50)}.school.test`) },
    { from: 's', data: concat([serverHello(rng), tlsRecord(20, Uint8Array.of(1)), tlsRecord(23, rng.bytes(rng.int(1500, 4000)))]) },
    { from: 'c', data: concat([tlsRecord(20, Uint8Array.of(1)), tlsRecord(23, rng.bytes(80))]) },
  ];
  for (let i = rng.int(1, 4); i > 0; i--) {
    turns.push({ from: 'c', data: tlsRecord(23, rng.bytes(rng.int(100, 600))) });
    const parts: Uint8Array[] = [];
    for (let left = rng.int(1000, 200_000); left > 0; left -= 16384) parts.push(tlsRecord(23, rng.bytes(Math.min(16384, left))));
    turns.push({ from: 's', data: concat(parts) });
  }
  return { protocol: 'tls', serverPort: 443, turns };
}

export const CONVERSATION_MIX: Array<[weight: number, make: (rng: Prng) => Conversation]> = [
  [24, httpConversation],
  [22, tlsConversation],
  [20, smtpConversation],
  [16, pop3Conversation],
  [10, ftpConversation],
];
