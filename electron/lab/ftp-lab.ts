/**
 * The lab's FTP server, from npm `ftp-srv`: anonymous (any password) sees pub/, pari/ninja sees
 * pub/ and a file of its own; passive mode on a small port range, active mode (PORT) too. Read-only:
 * the lesson lists and downloads, so nothing a client sends is written to disk.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server, Socket } from 'node:net';
import { join } from 'node:path';
import { FileSystem, FtpSrv, type FtpConnection } from 'ftp-srv';

export interface FtpLabOptions {
  dir: string;
  port: number;
  passive: { min: number; max: number };
  checkLogin(user: string, password: string): boolean;
}

/** Refuses every change: the lab's files stay what the lesson expects. */
class ReadOnlyFileSystem extends FileSystem {
  private refuse(): never {
    throw Object.assign(
      new Error('This lab server is read-only: list and download (LIST, RETR), nothing else'),
      { code: 550 },
    );
  }
  override write(): never {
    return this.refuse();
  }
  override delete(): never {
    return this.refuse();
  }
  override mkdir(): never {
    return this.refuse();
  }
  override rename(): never {
    return this.refuse();
  }
  override chmod(): never {
    return this.refuse();
  }
}

/** Writes the lab's files (again, each start). */
export function writeFtpFiles(dir: string): string {
  const root = join(dir, 'ftp');
  mkdirSync(join(root, 'pub', 'lessons'), { recursive: true });
  writeFileSync(
    join(root, 'pub', 'readme.txt'),
    'Welcome to the Wirelens lab FTP server.\r\nEvery file you download travels on its own data connection: find it in the capture.\r\n',
  );
  writeFileSync(join(root, 'pub', 'hello.txt'), 'hello\n');
  writeFileSync(
    join(root, 'pub', 'lessons', 'ftp.txt'),
    'FTP uses two connections: commands on port 21 (here 2121), data on another one announced by PASV or PORT.\n',
  );
  writeFileSync(
    join(root, 'pub', 'numbers.bin'),
    Buffer.from(Array.from({ length: 1024 }, (_, i) => i & 0xff)),
  );
  writeFileSync(
    join(root, 'pari.txt'),
    'Only pari sees this file: the password ninja crossed the wire in clear text to get here.\n',
  );
  return root;
}

const IDLE_MS = 10 * 60_000;

const quiet = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
  fatal() {},
  child() {
    return quiet;
  },
};

export function createFtpLabServer(opts: FtpLabOptions): FtpSrv {
  const root = writeFtpFiles(opts.dir);
  const server = new FtpSrv({
    url: `ftp://127.0.0.1:${opts.port}`,
    pasv_url: '127.0.0.1',
    pasv_min: opts.passive.min,
    pasv_max: opts.passive.max,
    anonymous: true,
    greeting: ['Wirelens lab FTP server: anonymous (any password) or pari/ninja'],
    log: quiet,
    // No `timeout`: ftp-srv also arms a timer of that length, never cleared, for each client it
    // disconnects on close, which kept the process alive that long after Ctrl+C. Idle control
    // connections are closed below instead.
  });
  (server as unknown as { server: Server }).server.on('connection', (socket: Socket) =>
    socket.setTimeout(IDLE_MS, () => socket.destroy()),
  );
  server.on(
    'login',
    (
      { connection, username, password }: { connection: FtpConnection; username: string; password: string },
      resolve,
      reject,
    ) => {
      if (username === 'anonymous')
        return resolve({ fs: new ReadOnlyFileSystem(connection, { root: join(root, 'pub'), cwd: '/' }) });
      if (opts.checkLogin(username, password))
        return resolve({ fs: new ReadOnlyFileSystem(connection, { root, cwd: '/' }) });
      reject(new Error('Login incorrect'));
    },
  );
  server.on('client-error', () => undefined); // one client's broken connection is not the server's end
  return server;
}
