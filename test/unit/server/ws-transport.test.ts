/**
 * The page's WebSocket transport (renderer/src/client/ws-transport.ts) against a real server: it
 * sends the token from the page URL and reaches the engine; without it the upgrade is refused and
 * the page's error names the server without repeating any token. Node's `ws` stands in for the
 * browser's WebSocket (same event interface).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { connectWebSocket } from '../../../renderer/src/client/ws-transport';
import { serveSample, type Served } from './attack-client';

let s: Served;
before(async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
  s = await serveSample();
});
after(async () => {
  await s.close();
});

function pageAt(search: string): Location {
  return { protocol: 'http:', host: s.host, search } as Location;
}

test('the transport forwards the token of the page URL and reaches the engine', async () => {
  const api = await connectWebSocket(pageAt(`?token=${s.server.token}`));
  const list = await api.listCaptures();
  assert.deepEqual(
    list.map((c) => c.name),
    ['smtp-pop3-lesson.pcap'],
  );
  assert.equal((await api.getPackets('c1', 0, 3)).length, 3);
});

test('without the token the engine is not reached, and the message does not repeat a token', async () => {
  const wrong = 'w'.repeat(43);
  await assert.rejects(
    connectWebSocket(pageAt('')),
    /cannot reach the Wirelens engine at ws:\/\/127\.0\.0\.1:\d+\/engine: open the whole URL/,
  );
  await assert.rejects(connectWebSocket(pageAt(`?token=${wrong}`)), (e: Error) => !e.message.includes(wrong));
});
