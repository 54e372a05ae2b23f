/**
 * README's quick start, run as written: the block between `<!-- quickstart` and `<!-- /quickstart -->`
 * is read from README.md and each command run in this checkout — `npm install` (which must print no
 * engine warning) and `npx wirelens lab`. The lab gets `--no-open` and free ports appended (the
 * defaults, Mailpit's 1025/1110/8025…, may be taken by other tests running beside this one); then the
 * five-minute lesson's hand-typed SMTP session, also read from README, is sent to its SMTP port line by
 * line with CR LF as `nc -C` sends it, the page's printed URL must answer, and Ctrl+C (SIGINT to the
 * process group, as a terminal sends it) must stop the lab and say what became of the capture.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { waitForOutput } from '../helpers/child-output';
import { ROOT } from '../helpers/fixtures';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The commands of README's quick-start block (comments after `#` dropped). */
function quickStart(): string[] {
  const m = /<!-- quickstart[^>]*-->\s*```sh\n([\s\S]*?)```\s*<!-- \/quickstart -->/.exec(readme);
  assert.ok(m, 'README has a quick-start block between <!-- quickstart --> and <!-- /quickstart -->');
  return m[1]
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

/** The lines typed into `nc -C 127.0.0.1 1025` in the five-minute lesson. */
function typedSmtp(): string[] {
  const m = /```sh\nnc -C 127\.0\.0\.1 1025[^\n]*\n([\s\S]*?)```/.exec(readme);
  assert.ok(m, "README's lesson types an SMTP session after `nc -C 127.0.0.1 1025`");
  return m[1].replace(/\n$/, '').split('\n');
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

async function freePorts(n: number): Promise<number[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 30000 + Math.floor(Math.random() * 9000);
    const ports = Array.from({ length: n }, (_, i) => base + i);
    let ok = true;
    for (const p of ports) if (!(await portFree(p))) ok = false;
    if (ok) return ports;
  }
  throw new Error(`no ${n} free consecutive ports`);
}

/** Sends each line with CR LF, one after another's reply, and returns everything the server said. */
function smtpSession(port: number, lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => (got += d));
    s.on('error', reject);
    s.on('close', () => resolve(got));
    s.on('connect', () => {
      s.write(`${lines.join('\r\n')}\r\n`);
    });
    setTimeout(() => s.destroy(), 15_000).unref();
  });
}

test(
  "README's quick start works as written: npm install, then npx wirelens lab and the lesson's typed mail",
  { timeout: 240_000 },
  async () => {
    const commands = quickStart();
    assert.deepEqual(commands, ['npm install', 'npx wirelens lab']);

    const install = spawnSync('sh', ['-c', commands[0]], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    assert.equal(install.status, 0, install.stderr);
    assert.doesNotMatch(
      `${install.stdout}${install.stderr}`,
      /EBADENGINE/,
      'npm install prints no engine warning',
    );

    const [smtp, smtps, pop3, pop3s, http, ftp, app, pasv] = await freePorts(18);
    const dir = mkdtempSync(join(tmpdir(), 'wirelens-quickstart-'));
    const options = `--no-open --dir ${dir} --smtp ${smtp} --smtps ${smtps} --pop3 ${pop3} --pop3s ${pop3s} --http ${http} --ftp ${ftp} --ftp-pasv ${pasv}-${pasv + 9} --port ${app}`;
    const lab = spawn('sh', ['-c', `exec ${commands[1]} ${options}`], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so Ctrl+C can be sent as a terminal sends it: to npx and the lab under it.
      detached: true,
    });
    let output = '';
    lab.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    lab.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    // npx itself ends by the signal; the lab under it exits 0 once it has saved the capture.
    const exited = new Promise<string>((resolve) =>
      lab.on('exit', (code, signal) =>
        resolve(code === 0 || signal === 'SIGINT' ? 'stopped' : `exit ${code} ${signal}`),
      ),
    );
    try {
      const banner = await waitForOutput(lab, /Wirelens is serving .* at (http:\/\/127\.0\.0\.1:\d+\/\S*)/);
      const url = /Wirelens is serving .* at (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(banner)![1];
      assert.ok(url.includes(`:${app}/`), url);
      const page = await fetch(url, { signal: AbortSignal.timeout(20_000) });
      assert.equal(page.status, 200, 'the printed URL opens the app');
      await page.arrayBuffer();

      const said = await smtpSession(smtp, typedSmtp());
      assert.match(said, /^220 /m, 'the greeting');
      assert.match(said, /^354 /m, 'DATA is accepted');
      assert.match(said, /^250 .*\r\n221 /m, 'the message is accepted (250 after the dot), then 221 bye');
    } catch (e) {
      throw new Error(`${(e as Error).message}\nthe lab said: ${output}`);
    } finally {
      try {
        process.kill(-lab.pid!, 'SIGINT');
      } catch {
        // already gone: the error above says why
      }
    }
    assert.equal(await exited, 'stopped', `Ctrl+C stops the lab: ${output}`);
    assert.match(
      output,
      /The capture is saved: \S+\.pcapng/,
      `it says where the capture was saved: ${output}`,
    );
    rmSync(dir, { recursive: true, force: true });
  },
);
