#!/usr/bin/env node
// Lab servers for recording the lessons' typical mistakes (scripts/lesson/record-mistakes.sh), on loopback:
//  - SMTP_PORT (default 2525): npm `smtp-server` (nodemailer), the same library as scripts/peers/smtp-server.mjs,
//    with AUTH PLAIN/LOGIN in clear text accepting only pari / ninja, STARTTLS offered (the library's built-in
//    self-signed lab certificate), every recipient accepted, nothing relayed. Its replies (500, 501, 503, 535 …)
//    are the library's own.
//  - STRICT_PORT (default 2526): a minimal SMTP server that, like the strict servers a class meets, reads a
//    command only once it ends with CR LF: a line ending with LF alone is never finished, so it never answers it.
// Prints "mistake servers ready" when listening. Not a mail server: only for recording fixtures.
import net from 'node:net';
import { SMTPServer } from 'smtp-server';

const smtpPort = Number(process.env.SMTP_PORT ?? 2525);
const strictPort = Number(process.env.STRICT_PORT ?? 2526);

const smtp = new SMTPServer({
  name: 'mail.lab.local',
  banner: 'Wirelens lab SMTP',
  authMethods: ['PLAIN', 'LOGIN'],
  allowInsecureAuth: true,
  authOptional: true,
  disableReverseLookup: true,
  hideENHANCEDSTATUSCODES: false,
  logger: false,
  onAuth(auth, _session, cb) {
    if (auth.username === 'pari' && auth.password === 'ninja') cb(null, { user: auth.username });
    else cb(new Error('Authentication credentials invalid'));
  },
  onData(stream, _session, cb) {
    stream.on('data', () => undefined);
    stream.on('end', () => cb(null, 'Ok: queued'));
  },
});
smtp.on('error', (e) => console.error(`smtp ${smtpPort}: ${e.message}`));

const strict = net.createServer((s) => {
  s.setEncoding('latin1');
  s.on('error', () => undefined);
  s.write('220 strict.lab.local ESMTP (reads lines ending with CR LF only)\r\n');
  let buf = '';
  s.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\r\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const verb = line.split(' ')[0].toUpperCase();
      if (verb === 'QUIT') {
        s.end('221 2.0.0 Bye\r\n');
        return;
      }
      s.write(
        verb === 'EHLO'
          ? '250-strict.lab.local\r\n250 8BITMIME\r\n'
          : verb === 'HELO'
            ? '250 strict.lab.local\r\n'
            : '250 2.0.0 Ok\r\n',
      );
    }
    if (buf.length > 65536) s.destroy();
  });
});

let ready = 0;
const up = () => {
  if (++ready === 2) console.log('mistake servers ready');
};
smtp.listen(smtpPort, '127.0.0.1', up);
strict.listen(strictPort, '127.0.0.1', up);
const stop = () => {
  smtp.close();
  strict.close();
  setTimeout(() => process.exit(0), 200).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
