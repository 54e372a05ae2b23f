/**
 * The electron-builder configuration (package.json "build"): installers for Linux (AppImage, deb),
 * macOS (dmg) and Windows (NSIS), the capture file associations, and — because the capture process
 * runs on the system Node from the installed files (see README, Live capture) — no asar archive and
 * every source the capture process and the app need included; the Electron fuses set at packaging.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../helpers/fixtures';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const build = pkg.build;

test('installers for the three platforms, and `npm run dist` builds before packaging', () => {
  assert.deepEqual(build.linux.target, ['AppImage', 'deb']);
  assert.deepEqual(build.mac.target, ['dmg']);
  assert.deepEqual(build.win.target, ['nsis']);
  assert.match(pkg.scripts.dist, /^npm run build && electron-builder/);
  assert.equal(pkg.main, 'dist/electron/main/main.cjs');
});

test('the OS opens .pcap, .pcapng, .cap and .gz captures with Wirelens', () => {
  const exts = build.fileAssociations.flatMap((a: { ext: string | string[] }) => [a.ext].flat());
  assert.deepEqual(exts.sort(), ['cap', 'gz', 'pcap', 'pcapng']);
});

test('the packaged files hold what the app and the capture process load', () => {
  assert.equal(build.asar, false, 'the system Node must read the capture process sources');
  for (const need of ['dist/electron/**', 'dist/renderer/**', 'dist/cli/**', 'bin/**', 'api/**', 'dissectors/**', 'electron/**', 'fixtures/lessons/**']) assert.ok(build.files.includes(need), need);
  // bin/wirelens.mjs runs the command's bundle (dist/cli), or the sources through tsx when they look
  // newer; ws serves browser mode: runtime dependencies, not dev ones.
  assert.ok(pkg.dependencies.tsx && pkg.dependencies.ws);
  assert.ok(pkg.optionalDependencies.cap);
});

test('Electron fuses, as chosen, with the option names electron-builder reads', () => {
  const fuses = build.electronFuses;
  const captureProcess = readFileSync(join(ROOT, 'electron', 'capture', 'capture-process.ts'), 'utf8');
  // RunAsNode stays on only while the capture process runs the app's binary as Node (with dumpcap,
  // under Electron: no system Node needed). If that goes, the fuse must go off.
  const runsElectronAsNode = /ELECTRON_RUN_AS_NODE: '1'/.test(captureProcess);
  assert.equal(fuses.runAsNode, runsElectronAsNode, 'runAsNode follows capture-process.ts');
  assert.equal(fuses.enableCookieEncryption, true);
  assert.equal(fuses.enableNodeOptionsEnvironmentVariable, false);
  assert.equal(fuses.enableNodeCliInspectArguments, false);
  // The page is served from app://, never file://: file:// keeps no extra privileges.
  assert.equal(fuses.grantFileProtocolExtraPrivileges, false);
  const main = readFileSync(join(ROOT, 'electron', 'main', 'main.ts'), 'utf8');
  assert.doesNotMatch(main, /loadFile\(|pathToFileURL/);
  assert.match(main, /loadURL\(INDEX_URL\)/);
  // Only loading from app.asar (and validating it) needs an asar archive, which this build does not make.
  assert.equal(fuses.onlyLoadAppFromAsar, build.asar !== false);
  assert.equal(fuses.enableEmbeddedAsarIntegrityValidation, build.asar !== false);
  // Only the keys electron-builder 26 passes to @electron/fuses (FuseOptionsV1): a misspelt one would be ignored
  // silently. (electron-builder is an optional dependency, not installed on every machine, so its own
  // schema check cannot run here.)
  const FUSE_KEYS = ['runAsNode', 'enableCookieEncryption', 'enableNodeOptionsEnvironmentVariable', 'enableNodeCliInspectArguments', 'enableEmbeddedAsarIntegrityValidation', 'onlyLoadAppFromAsar', 'loadBrowserProcessSpecificV8Snapshot', 'grantFileProtocolExtraPrivileges', 'resetAdHocDarwinSignature'];
  for (const [k, v] of Object.entries(fuses)) {
    assert.ok(FUSE_KEYS.includes(k), `unknown fuse option ${k}`);
    assert.equal(typeof v, 'boolean', k);
  }
});
