/**
 * The engine behind a message channel (how the desktop app runs it in a utility process): calls
 * cross as cloned messages and come back with the engine's answers, events are forwarded, invalid
 * calls are refused by the same checks as the WebSocket server, and when the engine's process dies
 * every pending and later call fails with a message instead of hanging.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { EngineEvent } from '../../../api/engine-api';
import { Engine } from '../../../electron/engine/engine';
import type { HostPort } from '../../../electron/engine-host/host-port';
import { remoteEngine } from '../../../electron/engine-host/remote-engine';
import { serveEngine } from '../../../electron/engine-host/serve-engine';
import { FIXTURES } from '../../helpers/fixtures';

/** Two ends of an in-memory channel; messages are structured-cloned and delivered later, as between processes. */
function channel(): [HostPort, HostPort, { cut: () => void }] {
  const listeners: Array<Array<(m: unknown) => void>> = [[], []];
  let open = true;
  const end = (me: number): HostPort => ({
    post: (m) => {
      const copy = structuredClone(m);
      setImmediate(() => open && listeners[1 - me].forEach((l) => l(copy)));
    },
    onMessage: (l) => listeners[me].push(l),
  });
  return [end(0), end(1), { cut: () => (open = false) }];
}

test('calls, answers and events cross the channel; bad calls are refused there', async () => {
  const [mainEnd, engineEnd] = channel();
  const engine = new Engine({});
  serveEngine(engine, engineEnd);
  const remote = remoteEngine(mainEnd);
  const events: EngineEvent['type'][] = [];
  remote.onEvent((e) => events.push(e.type));
  try {
    const info = await remote.openFile(join(FIXTURES, 'lessons', 'smtp-pop3-lesson.pcap'));
    let st = await remote.getStatus(info.id);
    while (st.state === 'loading') st = await remote.getStatus(info.id);
    assert.equal(st.packets, 72);
    const rows = await remote.getConnections(info.id);
    assert.deepEqual(rows.map((r) => r.protocol), ['smtp', 'pop3']);
    const view = await remote.getConnection(info.id, 0);
    assert.ok(view.ladder.some((e) => e.label === '334 VXNlcm5hbWU6 → “Username:”'));
    assert.match((await remote.captureFile(info.id))!.path, /smtp-pop3-lesson\.pcap$/);
    assert.ok(events.includes('opened'));
    await assert.rejects(remote.getPackets(info.id, -5, 10), /argument 2/);
    await assert.rejects((remote as unknown as { getPackets: (...a: unknown[]) => Promise<unknown> }).getPackets('../etc', 0, 10), /capture id/);
  } finally {
    await engine.close();
  }
});

test('a dead engine process: pending and later calls fail with the reason', async () => {
  const [mainEnd, engineEnd, link] = channel();
  const engine = new Engine({});
  serveEngine(engine, engineEnd);
  const remote = remoteEngine(mainEnd);
  link.cut();
  const pending = remote.listCaptures();
  remote.failAll('The Wirelens engine stopped (exit code 9).');
  await assert.rejects(pending, /engine stopped \(exit code 9\)/);
  await assert.rejects(remote.listCaptures(), /engine stopped/);
  await engine.close();
});
