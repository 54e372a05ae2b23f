#!/usr/bin/env node
// Plays a lesson session the way a student types it into ncat: connect, wait for the server's reply,
// pause, send one line, and so on. Usage: node type-session.mjs smtp|pop3 [port]
import net from 'node:net';

const kind = process.argv[2];
const port = Number(process.argv[3] ?? (kind === 'smtp' ? 1025 : 1110));
const b64 = (s) => Buffer.from(s).toString('base64');
const attachment = Buffer.from('Homework 3: explain the difference between the envelope and the headers.\n');

const message = [
  'From: "The Principal" <principal@school.example>',
  'To: Teacher <teacher@lab.local>',
  'Subject: Lesson 4 homework',
  'Date: Sun, 29 Nov 2026 18:00:00 +0000',
  'Message-ID: <lesson4@lab.local>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="wirelens-lesson"',
  '',
  '--wirelens-lesson',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Hello, the homework is attached.',
  '..and this line started with a dot.',
  '',
  '--wirelens-lesson',
  'Content-Type: text/plain; name="homework.txt"',
  'Content-Disposition: attachment; filename="homework.txt"',
  'Content-Transfer-Encoding: base64',
  '',
  attachment.toString('base64'),
  '',
  '--wirelens-lesson--',
].join('\r\n');

const scripts = {
  smtp: [
    'EHLO student-pc',
    'AUTH LOGIN',
    b64('student'),
    b64('secret123'),
    'MAIL FROM:<student@lab.local>',
    'RCPT TO:<teacher@lab.local>',
    'RCPT TO:<principal@lab.local>',
    'DATA',
    { raw: message + '\r\n.\r\n' },
    'QUIT',
  ],
  pop3: ['USER teacher', 'PASS apple', 'STAT', 'LIST', 'UIDL', 'RETR 1', 'DELE 1', 'QUIT'],
};

const steps = scripts[kind];
if (!steps) {
  console.error('usage: type-session.mjs smtp|pop3 [port]');
  process.exit(2);
}
const sock = net.connect(port, '127.0.0.1');
let idle = null;
let i = 0;
sock.on('data', () => {
  clearTimeout(idle);
  idle = setTimeout(next, 250); // the reply has arrived: "type" the next line
});
sock.on('close', () => process.exit(0));
function next() {
  if (i >= steps.length) return;
  const s = steps[i++];
  sock.write(typeof s === 'string' ? s + '\r\n' : s.raw);
}
