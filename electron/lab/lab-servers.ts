/**
 * Starts and stops the lab's servers on loopback: SMTP (plain with STARTTLS, and implicit TLS),
 * POP3 (plain with STLS, and implicit TLS), HTTP and FTP, over one mailbox, one certificate and one
 * TLS key log kept in the lab's directory. A port that cannot be had stops the start with a message
 * naming the option that moves it; servers already started are closed again.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:net';
import { join } from 'node:path';
import type { FtpSrv } from 'ftp-srv';
import type { SMTPServer } from 'smtp-server';
import { createFtpLabServer } from './ftp-lab';
import { createHttpLabServer } from './http-lab';
import { KeyLog } from './key-log';
import { LabMailbox } from './lab-mailbox';
import { PORT_OPTIONS, type LabPorts } from './lab-ports';
import { createPop3Servers, type Pop3Servers } from './pop3-server';
import { labCertificate } from './self-signed-cert';
import { createSmtpServers } from './smtp-lab';

export const LAB_LOGIN = { user: 'pari', password: 'ninja' } as const;

export class LabPortError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabPortError';
  }
}

export function portError(e: NodeJS.ErrnoException, port: number, what: string, option: string): Error {
  if (e.code === 'EADDRINUSE')
    return new LabPortError(
      `port ${port} (${what}) is already in use by another program (a lab or a Mailpit already running?): stop it, or give the lab another port with ${option} N`,
    );
  if (e.code === 'EACCES')
    return new LabPortError(
      `port ${port} (${what}) needs administrator rights here: choose a port above 1023 with ${option} N`,
    );
  return new LabPortError(
    `port ${port} (${what}) cannot be opened (${e.message}): choose another with ${option} N`,
  );
}

function listen(server: Server, port: number, host: string, what: string, option: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => reject(portError(e, port, what, option));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.removeListener('error', onError);
      resolve();
    });
  });
}

export interface LabServersOptions {
  dir: string;
  ports: LabPorts;
  host?: string;
}

export class LabServers {
  private readonly closers: Array<() => Promise<void>> = [];

  private constructor(
    readonly ports: LabPorts,
    readonly host: string,
    readonly mailbox: LabMailbox,
    readonly keyLog: KeyLog,
    readonly certificatePath: string,
    readonly certificateMade: boolean,
  ) {}

  static async start(opts: LabServersOptions): Promise<LabServers> {
    const host = opts.host ?? '127.0.0.1';
    mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
    const cert = labCertificate(opts.dir);
    const keyLog = new KeyLog(join(opts.dir, 'tls-keys.log'));
    const lab = new LabServers(opts.ports, host, new LabMailbox(), keyLog, cert.certPath, cert.made);
    const checkLogin = (user: string, password: string) =>
      user === LAB_LOGIN.user && password === LAB_LOGIN.password;
    const p = opts.ports;
    try {
      const smtp = createSmtpServers({ mailbox: lab.mailbox, checkLogin, tls: cert, keyLog });
      await lab.smtp(smtp.plain, p.smtp, 'SMTP', PORT_OPTIONS.smtp);
      await lab.smtp(smtp.secure, p.smtps, 'SMTP over TLS', PORT_OPTIONS.smtps);
      const pop3: Pop3Servers = createPop3Servers({ mailbox: lab.mailbox, checkLogin, tls: cert });
      keyLog.attach(pop3.secure!);
      lab.closers.push(() => pop3.close());
      await listen(pop3.plain, p.pop3, host, 'POP3', PORT_OPTIONS.pop3);
      await listen(pop3.secure!, p.pop3s, host, 'POP3 over TLS', PORT_OPTIONS.pop3s);
      const http = createHttpLabServer({ checkLogin });
      lab.closers.push(() => new Promise((r) => (http.closeAllConnections(), http.close(() => r()))));
      await listen(http, p.http, host, 'HTTP', PORT_OPTIONS.http);
      const ftp: FtpSrv = createFtpLabServer({
        dir: opts.dir,
        port: p.ftp,
        passive: p.ftpPassive,
        checkLogin,
      });
      (ftp as unknown as { server: Server }).server.maxConnections = 32;
      try {
        await ftp.listen();
      } catch (e) {
        throw portError(e as NodeJS.ErrnoException, p.ftp, 'FTP', PORT_OPTIONS.ftp);
      }
      lab.closers.push(async () => void (await ftp.close()));
    } catch (e) {
      await lab.close();
      throw e;
    }
    return lab;
  }

  private async smtp(server: SMTPServer, port: number, what: string, option: string): Promise<void> {
    const net = (server as unknown as { server: Server }).server;
    this.closers.push(() => new Promise((r) => server.close(() => r())));
    await listen(net, port, this.host, what, option);
  }

  async close(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close().catch(() => undefined);
  }
}
