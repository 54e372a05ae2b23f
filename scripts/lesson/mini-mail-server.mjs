#!/usr/bin/env node
// A minimal Mailpit-like lab server for recording lesson captures on loopback: SMTP on 127.0.0.1:1025
// (EHLO, AUTH LOGIN/PLAIN accepting any user, MAIL/RCPT/DATA/RSET/NOOP/QUIT; every recipient accepted,
// nothing relayed) and POP3 on 127.0.0.1:1110 (USER/PASS/STAT/LIST/UIDL/RETR/TOP/DELE/RSET/NOOP/QUIT)
// over the messages received in this run. Not a mail server: only for scripts/record-lesson.sh.
import net from 'node:net';

const messages = [];
const smtpPort = Number(process.env.SMTP_PORT ?? 1025);
const pop3Port = Number(process.env.POP3_PORT ?? 1110);

function lines(socket, onLine) {
  let buf = '';
  socket.setEncoding('latin1');
  socket.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i).replace(/\r$/, '');
      buf = buf.slice(i + 1);
      onLine(line);
    }
  });
  socket.on('error', () => undefined);
}

net
  .createServer((s) => {
    const say = (t) => s.write(t + '\r\n');
    let mode = 'cmd';
    let data = [];
    let authStep = null;
    say('220 mail.lab.local ESMTP Wirelens lab server');
    lines(s, (line) => {
      if (mode === 'data') {
        if (line === '.') {
          mode = 'cmd';
          messages.push(data.map((l) => (l.startsWith('..') ? l.slice(1) : l)).join('\r\n') + '\r\n');
          data = [];
          say(`250 2.0.0 Ok: queued as M${messages.length}`);
        } else data.push(line);
        return;
      }
      if (authStep === 'user') {
        authStep = 'pass';
        return say('334 UGFzc3dvcmQ6');
      }
      if (authStep === 'pass') {
        authStep = null;
        return say('235 2.7.0 Authentication successful');
      }
      const verb = line.split(' ')[0].toUpperCase();
      if (verb === 'EHLO') {
        s.write('250-mail.lab.local\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-AUTH PLAIN LOGIN\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n');
      } else if (verb === 'HELO') say('250 mail.lab.local');
      else if (verb === 'AUTH' && /^AUTH LOGIN$/i.test(line)) {
        authStep = 'user';
        say('334 VXNlcm5hbWU6');
      } else if (verb === 'AUTH') say('235 2.7.0 Authentication successful');
      else if (verb === 'MAIL' || verb === 'RCPT') say('250 2.1.0 Ok');
      else if (verb === 'DATA') {
        mode = 'data';
        say('354 End data with <CR><LF>.<CR><LF>');
      } else if (verb === 'RSET' || verb === 'NOOP') say('250 2.0.0 Ok');
      else if (verb === 'QUIT') {
        say('221 2.0.0 Bye');
        s.end();
      } else say('502 5.5.2 Error: command not recognized');
    });
  })
  .listen(smtpPort, '127.0.0.1');

net
  .createServer((s) => {
    const say = (t) => s.write(t + '\r\n');
    const deleted = new Set();
    say('+OK Wirelens lab POP3 server ready');
    lines(s, (line) => {
      const [verb, arg] = line.split(' ');
      const n = Number(arg);
      const live = messages.map((m, i) => [i + 1, m]).filter(([i]) => !deleted.has(i));
      const msg = messages[n - 1];
      switch ((verb ?? '').toUpperCase()) {
        case 'USER':
          return say('+OK');
        case 'PASS':
          return say('+OK Logged in.');
        case 'STAT':
          return say(`+OK ${live.length} ${live.reduce((a, [, m]) => a + m.length, 0)}`);
        case 'LIST':
          if (arg) return msg && !deleted.has(n) ? say(`+OK ${n} ${msg.length}`) : say('-ERR no such message');
          return s.write(`+OK ${live.length} messages:\r\n` + live.map(([i, m]) => `${i} ${m.length}\r\n`).join('') + '.\r\n');
        case 'UIDL':
          return s.write('+OK\r\n' + live.map(([i]) => `${i} lab-${i}\r\n`).join('') + '.\r\n');
        case 'RETR':
          if (!msg || deleted.has(n)) return say('-ERR no such message');
          return s.write(`+OK ${msg.length} octets\r\n` + msg.split('\r\n').slice(0, -1).map((l) => (l.startsWith('.') ? '.' + l : l) + '\r\n').join('') + '.\r\n');
        case 'DELE':
          if (!msg || deleted.has(n)) return say('-ERR no such message');
          deleted.add(n);
          return say(`+OK message ${n} deleted`);
        case 'RSET':
          deleted.clear();
          return say('+OK');
        case 'NOOP':
          return say('+OK');
        case 'QUIT':
          for (const i of [...deleted].sort((a, b) => b - a)) messages.splice(i - 1, 1);
          say('+OK Logging out.');
          return s.end();
        default:
          return say('-ERR Unknown command');
      }
    });
  })
  .listen(pop3Port, '127.0.0.1');

console.log(`lab mail server: SMTP 127.0.0.1:${smtpPort}, POP3 127.0.0.1:${pop3Port}`);
