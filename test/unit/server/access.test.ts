/**
 * Issue 21, items 1, 2, 3 and 13 against a real server: a page rebound to 127.0.0.1 (its own Host),
 * another origin, a visitor without the secret (any local user), a wrong secret, the two requests
 * that used to end the process, and the token policy. Each attack is made, then the server must
 * still answer the holder of the printed URL.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { tokenProblem, sameToken, generateToken } from '../../../electron/server/access-gate';
import { startServer } from '../../../electron/server/server';
import { Engine } from '../../../electron/engine/engine';
import {
  fakeRenderer,
  get,
  pageClient,
  rawHttp,
  rawWebSocket,
  serveSample,
  stillServes,
  type Served,
} from './attack-client';

let s: Served;
before(async () => {
  s = await serveSample();
});
after(async () => {
  await s.close();
});

test('the printed URL carries a fresh 256-bit token, and opening it sets an HttpOnly SameSite=Strict cookie', async () => {
  assert.match(
    s.server.url,
    new RegExp(`^http://127\\.0\\.0\\.1:${s.server.port}/\\?token=[A-Za-z0-9_-]{43}$`),
  );
  assert.notEqual(generateToken(), generateToken());
  const r = await get(s.server.port, `/?token=${s.server.token}`, { Host: s.host });
  assert.equal(r.status, 200);
  const cookie = /^set-cookie: (.*)$/im.exec(r.head)?.[1] ?? '';
  assert.match(
    cookie,
    new RegExp(`^wirelens-token-${s.server.port}=${s.server.token}; HttpOnly; SameSite=Strict; Path=/`),
  );
  // The cookie alone then opens the page's files (the page's scripts and its WebSocket).
  const js = await get(s.server.port, '/app.js', {
    Host: s.host,
    Cookie: `other=1; wirelens-token-${s.server.port}=${s.server.token}`,
  });
  assert.equal(js.status, 200);
  assert.match(js.body, /console\.log/);
  const bearer = await get(s.server.port, '/app.js', {
    Host: s.host,
    Authorization: `Bearer ${s.server.token}`,
  });
  assert.equal(bearer.status, 200);
});

test('without the token (a local user such as nobody, another site) every path is refused with 403, static files included', async () => {
  for (const target of ['/', '/index.html', '/app.js', '/download/c1', '/engine', '/favicon.ico']) {
    const r = await get(s.server.port, target, { Host: s.host });
    assert.equal(r.status, 403, target);
    assert.match(r.body, /Open the whole URL printed by <code>wirelens serve<\/code>/);
    assert.doesNotMatch(r.body, /test page|console/);
  }
  const wrong = await get(s.server.port, `/?token=${'a'.repeat(43)}`, { Host: s.host });
  assert.equal(wrong.status, 403);
  const wrongCookie = await get(s.server.port, '/app.js', {
    Host: s.host,
    Cookie: `wirelens-token-${s.server.port}=${s.server.token}x`,
  });
  assert.equal(wrongCookie.status, 403);
  const ws = await rawWebSocket(s.server.port, { Host: s.host, Origin: s.origin });
  assert.equal(ws.status, 403);
  const wsWrong = await rawWebSocket(
    s.server.port,
    { Host: s.host, Origin: s.origin },
    `/engine?token=${'b'.repeat(43)}`,
  );
  assert.equal(wsWrong.status, 403);
  assert.ok(await stillServes(s));
});

test('DNS rebinding: a page whose own Host is sent (with the right token even) gets 403 on HTTP and on the WebSocket', async () => {
  const rebound = `attacker.example:${s.server.port}`;
  const page = await get(s.server.port, `/?token=${s.server.token}`, {
    Host: rebound,
    Origin: `http://${rebound}`,
  });
  assert.equal(page.status, 403);
  assert.match(page.body, /Refused: the Host header does not name this server/);
  const download = await get(s.server.port, `/download/c1?token=${s.server.token}`, { Host: rebound });
  assert.equal(download.status, 403);
  const ws = await rawWebSocket(
    s.server.port,
    { Host: rebound, Origin: `http://${rebound}` },
    `/engine?token=${s.server.token}`,
  );
  assert.equal(ws.status, 403);
  // Another port of this machine is another origin (and another server's cookie).
  const otherPort = await get(s.server.port, `/?token=${s.server.token}`, {
    Host: `127.0.0.1:${s.server.port + 1}`,
  });
  assert.equal(otherPort.status, 403);
  const noHost = await rawHttp(s.server.port, `GET /?token=${s.server.token} HTTP/1.0\r\n\r\n`);
  assert.equal(noHost.status, 403);
  // localhost is this server too.
  const local = await get(s.server.port, `/?token=${s.server.token}`, { Host: `localhost:${s.server.port}` });
  assert.equal(local.status, 200);
});

test("another origin is refused even with this server's Host and token (a cross-site WebSocket or fetch)", async () => {
  const ws = await rawWebSocket(
    s.server.port,
    { Host: s.host, Origin: 'http://evil.example' },
    `/engine?token=${s.server.token}`,
  );
  assert.equal(ws.status, 403);
  const fetchLike = await get(s.server.port, `/?token=${s.server.token}`, { Host: s.host, Origin: 'null' });
  assert.equal(fetchLike.status, 403);
  await assert.rejects(pageClient(s, { origin: `http://localhost:${s.server.port + 1}` }));
  const ok = await pageClient(s);
  assert.equal((await ok.call<unknown[]>('listCaptures')).length, 1);
  ok.close();
});

test('GET /% and GET // (and other odd targets) are answered, and the server keeps serving', async () => {
  for (const target of ['/%', '//', '/%E0%A4%A', '/..%2f..%2fetc/passwd', '//evil.example/x', '/%00']) {
    const withToken = await get(s.server.port, `${target}?token=${s.server.token}`, { Host: s.host });
    assert.ok([400, 403, 404].includes(withToken.status), `${target}: ${withToken.status}`);
    const without = await get(s.server.port, target, { Host: s.host });
    assert.equal(without.status, 403, target);
  }
  const absolute = await rawHttp(
    s.server.port,
    `GET http://127.0.0.1/?token=${s.server.token} HTTP/1.1\r\nHost: ${s.host}\r\nConnection: close\r\n\r\n`,
  );
  assert.equal(absolute.status, 400);
  const garbage = await rawHttp(s.server.port, 'GARBAGE\r\n\r\n');
  assert.equal(garbage.status, 400);
  assert.ok(await stillServes(s));
});

test('--token: empty and short tokens are refused; the comparison takes equal time whatever the length', async () => {
  assert.match(tokenProblem('') ?? '', /at least 32 characters/);
  assert.match(tokenProblem('0123456789abcdef') ?? '', /at least 32 characters/);
  assert.match(tokenProblem('a b'.repeat(20)) ?? '', /only letters, digits/);
  assert.equal(tokenProblem('0123456789abcdef0123456789abcdef'), null);
  assert.ok(sameToken('x'.repeat(40), 'x'.repeat(40)));
  assert.ok(!sameToken('x', 'x'.repeat(40)));
  const engine = new Engine({});
  await assert.rejects(
    startServer({ engine, rendererRoot: fakeRenderer(), port: 0, token: '' }),
    /at least 32 characters/,
  );
  await assert.rejects(
    startServer({ engine, rendererRoot: fakeRenderer(), port: 0, host: '127.0.0.1', token: 'secret' }),
    /at least 32 characters/,
  );
  const chosen = await startServer({ engine, rendererRoot: fakeRenderer(), port: 0, token: 'f'.repeat(32) });
  assert.ok(chosen.url.endsWith(`?token=${'f'.repeat(32)}`));
  await chosen.close();
  await engine.close();
});

test('a server on all addresses (--host 0.0.0.0) accepts its own addresses in Host, still not another name', async () => {
  const wide = await serveSample({ host: '0.0.0.0' });
  try {
    const t = `/?token=${wide.server.token}`;
    assert.equal((await get(wide.server.port, t, { Host: `127.0.0.1:${wide.server.port}` })).status, 200);
    assert.equal((await get(wide.server.port, t, { Host: `localhost:${wide.server.port}` })).status, 200);
    assert.equal(
      (await get(wide.server.port, t, { Host: `classroom.attacker.example:${wide.server.port}` })).status,
      403,
    );
    assert.equal((await get(wide.server.port, '/', { Host: `127.0.0.1:${wide.server.port}` })).status, 403);
  } finally {
    await wide.close();
  }
});
