/**
 * Names proposed to Save dialogs (from the page, from a capture's name) are made safe: bidi
 * overrides, NUL and control characters removed, Windows' reserved device names and forbidden
 * characters defused, no leading or trailing dots and spaces, at most 200 characters with the
 * extension kept. And the app:// scheme maps URLs only to files of the built renderer.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { appFileFor } from '../../../electron/main/app-protocol';
import { suggestedSaveName } from '../../../electron/main/save-copy';
import { MAX_SAVE_NAME, sanitizeSaveName } from '../../../electron/main/save-name';
import { checkSaveFileCall } from '../../../electron/main/window-security';

test('bidi overrides, zero-width marks, NUL and control characters are removed', () => {
  // "invoice‮gnp.exe" shows as "invoiceexe.png": the real extension comes back.
  assert.equal(sanitizeSaveName('invoice\u202egnp.exe'), 'invoicegnp.exe');
  assert.equal(sanitizeSaveName('a\u2066b\u2069c\u200bd\ufeffe.txt'), 'abcde.txt');
  assert.equal(sanitizeSaveName('report\u0000.txt\u0000.exe'), 'report.txt.exe');
  assert.equal(sanitizeSaveName('line\r\nbreak\t\u001b[2J\u009b.txt'), 'linebreak[2J.txt');
});

test("Windows' reserved device names, with any extension or case, get a prefix", () => {
  for (const name of [
    'CON',
    'con.txt',
    'Prn.pcap',
    'AUX',
    'nul.tar.gz',
    'COM1',
    'com9.log',
    'LPT1.txt',
    'lpt9',
    'COM0',
    'COM¹.txt',
    'CONIN$',
    'conout$.x',
    'CON .txt',
  ])
    assert.equal(sanitizeSaveName(name)[0], '_', name);
  for (const name of ['CONSOLE.txt', 'icon.png', 'com10.txt', 'lpt.txt', 'auxiliary', 'null.txt'])
    assert.equal(sanitizeSaveName(name), name, name);
});

test('forbidden characters, leading and trailing dots and spaces, paths', () => {
  assert.equal(sanitizeSaveName('a<b>c:d"e|f?g*h.txt'), 'a_b_c_d_e_f_g_h.txt');
  assert.equal(sanitizeSaveName('name.txt. . '), 'name.txt');
  assert.equal(sanitizeSaveName('..'), 'wirelens-export');
  assert.equal(sanitizeSaveName('../../.bashrc'), 'bashrc');
  assert.equal(sanitizeSaveName('C:\\Windows\\System32\\evil.dll'), 'evil.dll');
  assert.equal(sanitizeSaveName('\u202e\u0000 . '), 'wirelens-export');
  assert.equal(sanitizeSaveName('déjà vu ✓.txt'), 'déjà vu ✓.txt');
});

test('at most 200 characters, the extension kept, characters never split', () => {
  const long = sanitizeSaveName(`${'x'.repeat(500)}.pcapng`);
  assert.equal(long.length, MAX_SAVE_NAME);
  assert.ok(long.endsWith('.pcapng'));
  const emoji = sanitizeSaveName(`${'😀'.repeat(150)}.txt`);
  assert.ok(emoji.length <= MAX_SAVE_NAME && emoji.endsWith('.txt'));
  assert.doesNotMatch(emoji, /[\ud800-\udbff](?![\udc00-\udfff])/, 'no lone high surrogate');
});

test("the page's Save and Save As use it", () => {
  const INDEX = 'app://wirelens/index.html';
  assert.deepEqual(checkSaveFileCall(INDEX, INDEX, ['CON.txt', 'aGk=']), {
    ok: true,
    name: '_CON.txt',
    bytesBase64: 'aGk=',
  });
  assert.deepEqual(checkSaveFileCall(INDEX, INDEX, ['photo\u202egnp.exe', '']), {
    ok: true,
    name: 'photognp.exe',
    bytesBase64: '',
  });
  assert.equal(suggestedSaveName('CON', '/tmp/CON.pcap'), '_CON.pcap');
  assert.equal(suggestedSaveName('live: lo', '/tmp/x.pcapng'), 'live-lo.pcapng');
});

test('app:// URLs map to files of the renderer only', () => {
  const root = '/opt/wirelens/dist/renderer';
  assert.deepEqual(appFileFor('app://wirelens/index.html', root), {
    path: join(root, 'index.html'),
    type: 'text/html; charset=utf-8',
  });
  assert.deepEqual(appFileFor('app://wirelens/', root), {
    path: join(root, 'index.html'),
    type: 'text/html; charset=utf-8',
  });
  assert.equal(
    appFileFor('app://wirelens/assets/index-x.js?v=1#h', root)?.path,
    join(root, 'assets', 'index-x.js'),
  );
  for (const bad of [
    'app://wirelens/../main/main.cjs',
    'app://wirelens/%2e%2e/%2e%2e/etc/passwd',
    'app://wirelens/assets/..%2f..%2f..%2fetc%2fpasswd.js',
    'app://wirelens/assets%5c..%5c..%5cx.js',
    'app://wirelens/a%00.js',
    'app://wirelens/%E0%A4%A',
    'app://evil/index.html',
    'app://user@wirelens/index.html',
    'file:///opt/wirelens/dist/renderer/index.html',
    'app://wirelens/secret.pem',
    'not a url',
  ])
    assert.equal(appFileFor(bad, root), null, bad);
});
