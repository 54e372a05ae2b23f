/**
 * Issue 21 item 7 as it was found: a small SMTP capture and the display filter
 * `smtp.req.parameter matches "(a|a)*b"` blocked the whole engine (every client) for 120 s with
 * JavaScript's backtracking RegExp. With the filter's own linear-time engine the filter is answered
 * at once through the real engine, and the engine answers the next call.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../../electron/engine/engine';
import { conversation, pcapOf } from '../../fuzz/hostile-captures';

// Exponential backtracking would need years here; the timeout only stops a hang.
test(
  'the ReDoS filter on an SMTP parameter of 30 "a" (2^30 paths for a backtracking engine) is answered',
  { timeout: 60_000 },
  async () => {
    const te = new TextEncoder();
    const a = 'a'.repeat(30);
    const packets = conversation(0x7f000001, 40000, 0x7f000001, 25, [
      ['server', te.encode('220 mail.test ESMTP\r\n')],
      ['client', te.encode(`MAIL FROM:${a}\r\n`)],
      ['server', te.encode('250 ok\r\n')],
      ['client', te.encode(`RCPT TO:${a}b\r\n`)],
      ['server', te.encode('250 ok\r\n')],
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'wl-redos-'));
    const engine = new Engine({});
    try {
      const file = join(dir, 'redos.pcap');
      writeFileSync(file, pcapOf(packets));
      const cap = await engine.openFile(file);
      while ((await engine.getStatus(cap.id)).state === 'loading')
        await new Promise((r) => setTimeout(r, 10));
      const res = await engine.setFilter(cap.id, 'smtp.req.parameter matches "(a|a)*b"');
      assert.ok(res.ok, res.error ?? '');
      const rows = await engine.getPackets(cap.id, 0, 10);
      assert.deepEqual(
        rows.map((r) => r.info),
        rows.filter((r) => r.info.includes('RCPT')).map((r) => r.info),
        'only the RCPT TO (which has the b) matches',
      );
      assert.equal(res.displayed, 1);
      // A backreference is refused with a message, not run.
      const refused = await engine.setFilter(cap.id, 'smtp.req.parameter matches "(a)\\\\1"');
      assert.ok(!refused.ok && /backreferences/.test(refused.error ?? ''), refused.error ?? '');
      assert.equal((await engine.getStatus(cap.id)).state, 'ready');
    } finally {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
