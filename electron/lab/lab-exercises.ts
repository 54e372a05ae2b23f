/**
 * The "Type this" exercises: the lessons' commands for each of the lab's ports (nc, telnet,
 * openssl s_client, curl), with the ports this lab runs on. The same text the app's panel shows
 * and `wirelens lab` prints.
 */
import type { LabExercise } from '../../api/engine-api';
import type { LabPorts } from './lab-ports';

const CRLF_NOTE =
  'SMTP and POP3 lines end in CRLF (\\r\\n). telnet sends CRLF when you press Enter; nc and ncat send only LF unless started with -C (this lab accepts both, a strict server does not). In printf, write \\r\\n yourself.';

export function labExercises(p: LabPorts, host = '127.0.0.1'): LabExercise[] {
  return [
    {
      title: 'Send a mail in one line (SMTP)',
      port: p.smtp,
      lines: [
        `printf "EHLO sam\\r\\nMAIL FROM:<a@x>\\r\\nRCPT TO:<b@y>\\r\\nDATA\\r\\nSubject: hi\\r\\n\\r\\nhello\\r\\n.\\r\\nQUIT\\r\\n" | nc ${host} ${p.smtp}`,
      ],
      note: 'Each command gets a numbered reply: 220 greeting, 250 OK, 354 "send the message", 221 bye. The message then appears in the lab inbox.',
    },
    {
      title: 'Talk SMTP by hand',
      port: p.smtp,
      lines: [
        `nc -C ${host} ${p.smtp}`,
        'EHLO sam',
        'MAIL FROM:<a@x>',
        'RCPT TO:<b@y>',
        'DATA',
        'Subject: hi',
        '',
        'hello',
        '.',
        'QUIT',
      ],
      note: `${CRLF_NOTE} The envelope (MAIL FROM, RCPT TO) is what the server delivers by; the headers after DATA are only text the reader sees.`,
    },
    {
      title: 'Log in over TLS (SMTP on implicit TLS, AUTH LOGIN)',
      port: p.smtps,
      lines: [
        `openssl s_client -connect ${host}:${p.smtps} -crlf -quiet`,
        'EHLO sam',
        'AUTH LOGIN',
        'cGFyaQ==',
        'bmluamE=',
        'QUIT',
      ],
      note: 'cGFyaQ== is "pari" and bmluamE= is "ninja" in base64 (echo -n pari | base64): an encoding, not encryption. Here TLS hides them: the capture shows only TLS records, and the lab key log decrypts them.',
    },
    {
      title: 'Upgrade to TLS with STARTTLS (SMTP)',
      port: p.smtp,
      lines: [
        `openssl s_client -connect ${host}:${p.smtp} -starttls smtp -crlf -quiet`,
        'EHLO sam',
        'AUTH PLAIN AHBhcmkAbmluamE=',
        'QUIT',
      ],
      note: 'The conversation starts in clear text and switches to TLS after STARTTLS: in the capture, the first lines are readable and the rest is not.',
    },
    {
      title: 'Read the mail (POP3)',
      port: p.pop3,
      lines: [`telnet ${host} ${p.pop3}`, 'user pari', 'pass ninja', 'stat', 'list', 'retr 1', 'quit'],
      note: `Replies start with +OK or -ERR. The password crosses the wire in clear text: find it in the capture. ${CRLF_NOTE}`,
    },
    {
      title: 'POP3 over TLS, and with curl',
      port: p.pop3s,
      lines: [
        `openssl s_client -connect ${host}:${p.pop3s} -crlf -quiet`,
        `openssl s_client -connect ${host}:${p.pop3} -starttls pop3 -crlf -quiet`,
        `curl -v pop3://pari:ninja@${host}:${p.pop3}/1`,
      ],
      note: 'The first is TLS from the first byte (POP3S), the second upgrades with STLS, the third lets curl speak POP3 and prints message 1.',
    },
    {
      title: 'The web (HTTP)',
      port: p.http,
      lines: [
        `curl -v http://${host}:${p.http}/`,
        `curl -v http://${host}:${p.http}/chunked`,
        `curl -v --compressed http://${host}:${p.http}/gzip`,
        `curl -v -u pari:ninja http://${host}:${p.http}/secret`,
        `printf "GET /hello.txt HTTP/1.1\\r\\nHost: ${host}\\r\\nConnection: close\\r\\n\\r\\n" | nc ${host} ${p.http}`,
      ],
      note: 'Compare the answers: a Content-Length, a chunked body, a gzip body, a 401 then a 200 with an Authorization header (base64 of pari:ninja).',
    },
    {
      title: 'Files (FTP)',
      port: p.ftp,
      lines: [
        `curl -v ftp://${host}:${p.ftp}/`,
        `curl -v --disable-epsv ftp://${host}:${p.ftp}/hello.txt`,
        `curl -v ftp://pari:ninja@${host}:${p.ftp}/pari.txt`,
        `curl -v -P - ftp://${host}:${p.ftp}/hello.txt`,
      ],
      note: `Commands go over port ${p.ftp}; each listing or file comes on a second connection, announced by EPSV or PASV (passive, --disable-epsv asks for PASV: the client connects to ports ${p.ftpPassive.min}-${p.ftpPassive.max}) or PORT (active, -P -: the server connects back; that connection's ports are not in the lab's capture filter).`,
    },
  ];
}
