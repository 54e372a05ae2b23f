#!/usr/bin/env node
// A lab SMTP server from npm `smtp-server` (nodemailer): plain SMTP with AUTH PLAIN/LOGIN allowed in
// clear text (the lesson's port 1025), STARTTLS required before AUTH (587), implicit TLS (465).
// Accepts every recipient, relays nothing, keeps messages in memory. Prints "lab smtp server" when
// listening. Usage: node smtp-server.mjs CERT_DIR [PLAIN_PORT] [STARTTLS_PORT] [SMTPS_PORT]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

const [dir, plain = '1025', starttls = '587', smtps = '465'] = process.argv.slice(2);
const key = readFileSync(join(dir, 'key.pem'));
const cert = readFileSync(join(dir, 'cert.pem'));
let received = 0;

const common = {
  name: 'mail.lab.local',
  banner: 'Wirelens lab SMTP',
  authMethods: ['PLAIN', 'LOGIN'],
  size: 10 * 1024 * 1024,
  key,
  cert,
  onAuth(auth, _session, cb) {
    cb(null, { user: auth.username });
  },
  onData(stream, _session, cb) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      received++;
      cb(null, `Ok: queued as lab${received}`);
    });
  },
  logger: false,
};

const servers = [
  [new SMTPServer({ ...common, allowInsecureAuth: true, hideSTARTTLS: true }), plain],
  [new SMTPServer({ ...common, allowInsecureAuth: false }), starttls],
  [new SMTPServer({ ...common, secure: true }), smtps],
];
let listening = 0;
for (const [server, port] of servers) {
  server.on('error', (e) => console.error(`lab smtp server on ${port}: ${e.message}`));
  server.listen(Number(port), '127.0.0.1', () => {
    if (++listening === servers.length) console.log(`lab smtp server on 127.0.0.1:${plain} (plain), ${starttls} (STARTTLS), ${smtps} (TLS)`);
  });
}
const stop = () => {
  for (const [server] of servers) server.close();
  setTimeout(() => process.exit(0), 200).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
