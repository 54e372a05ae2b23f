/**
 * The dumpcap capture backend without running dumpcap: its real stderr (recorded from dumpcap 4.0.17,
 * fixtures/recorded/dumpcap/) is read whole or cut at every byte, its real pcapng head gives the link
 * type, its real refusals become advice, its command line carries the options as single
 * arguments, and the backend choice follows what is installed and asked for.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { backendsToTry, defaultBackendChoice, findDumpcap, isBackendChoice } from '../../../electron/capture/capture-backend';
import { parseCaptureMessage } from '../../../electron/capture/capture-messages';
import { DumpcapOutput, pcapngFirstLinkType } from '../../../electron/capture/dumpcap-output';
import { dumpcapArgs } from '../../../electron/capture/dumpcap-process';
import { captureArgs, captureLaunch } from '../../../electron/capture/capture-process';
import { parseDumpcapInterfaces } from '../../../electron/capture/interfaces';
import { dumpcapHelp } from '../../../electron/capture/permissions';
import { validateParams } from '../../../electron/shared/validate-params';
import { readCaptureBytes } from '../../../dissectors/capture/reader';
import { ROOT } from '../../helpers/fixtures';

const dir = join(ROOT, 'fixtures/recorded/dumpcap');
const text = (name: string) => readFileSync(join(dir, name), 'utf8');

test("dumpcap's stderr of a capture: the file, the running count and the final statistics", () => {
  const out = new DumpcapOutput();
  const stderr = text('dumpcap-lo.stderr.txt');
  // Fed in the pieces a pipe might deliver: at every split point the facts end up the same.
  for (let cut = 0; cut <= stderr.length; cut++) {
    const o = new DumpcapOutput();
    o.push(stderr.slice(0, cut));
    o.push(stderr.slice(cut));
    o.end();
    assert.deepEqual(o.facts, { file: '/tmp/rec/dumpcap-lo.pcapng', packets: 3, received: 3, dropped: 0, other: [] }, `cut at ${cut}`);
  }
  // While capturing: "File:" starts it, and each "\rPackets: N " counts as soon as it is whole.
  assert.equal(out.push("Capturing on 'Loopback: lo'\n"), false);
  assert.equal(out.facts.file, null);
  assert.equal(out.push('File: /tmp/x.pcapng\n'), true);
  assert.equal(out.push('\rPackets: 1 '), true);
  assert.equal(out.facts.packets, 1);
  assert.equal(out.push('\rPackets: 1'), false);
  assert.equal(out.push('7 '), true);
  assert.equal(out.facts.packets, 17);
  assert.equal(out.facts.received, null, 'no statistics before dumpcap stops');
});

test("dumpcap's refusals: the error text is kept and becomes the advice Wirelens gives for either backend", () => {
  const messages = ['bad-filter', 'no-device', 'no-permission'].map((n) => {
    const o = new DumpcapOutput();
    o.push(text(`${n}.stderr.txt`));
    o.end();
    assert.equal(o.facts.file, null, `${n}: never started`);
    return dumpcapHelp(o.errorText());
  });
  assert.equal(messages[0], "The capture filter is not valid BPF (unknown port 'banana'). Capture filters use tcpdump syntax, e.g. `tcp port 25 or tcp port 110`.");
  assert.equal(messages[1], 'There is no device named "nosuchif0". List interfaces with `wirelens interfaces` and pick one of those names.');
  assert.match(messages[2], /^dumpcap could not capture: You do not have permission to capture on device "lo"\./);
  assert.match(messages[2], /sudo usermod -a -G wireshark/);
  assert.match(messages[2], /sufficient permissions\.\n\nOn Debian/, "dumpcap's paragraphs are kept");
  assert.match(messages[2], /\n {4}sudo dpkg-reconfigure wireshark-common\n/, 'and its indented commands');
});

test('stderr is bounded: a flood of text without line ends, or thousands of lines, keeps a bounded error', () => {
  const o = new DumpcapOutput();
  o.push('x'.repeat(1 << 20));
  for (let i = 0; i < 10000; i++) o.push(`noise ${i}\n`);
  o.end();
  assert.ok(o.facts.other.length <= 50);
  assert.ok(o.errorText().length < 50 * 4200);
  assert.equal(o.facts.packets, 0);
});

test("the link type comes from the head of dumpcap's real pcapng file, and only from a whole header", () => {
  const file = new Uint8Array(readFileSync(join(dir, 'dumpcap-lo.pcapng')));
  assert.equal(pcapngFirstLinkType(file), 1, 'lo is Ethernet-framed');
  assert.equal(readCaptureBytes(file).records.length, 3, 'the file is a whole capture of the three datagrams');
  // A head still being written, or something else, gives null (never a guess, never a throw).
  const shbLen = new DataView(file.buffer).getUint32(4, true);
  for (let n = 0; n < shbLen + 12; n++) assert.equal(pcapngFirstLinkType(file.subarray(0, n)), null, `${n} bytes`);
  assert.equal(pcapngFirstLinkType(file.subarray(0, shbLen + 12)), 1);
  const bad = file.slice(0, 200);
  bad[8] ^= 0xff;
  assert.equal(pcapngFirstLinkType(bad), null, 'wrong byte-order magic');
  const pcap = new Uint8Array(readFileSync(join(ROOT, 'fixtures/lessons/smtp-pop3-lesson.pcap')));
  assert.equal(pcapngFirstLinkType(pcap), null, 'a pcap file is not pcapng');
  // Big-endian: the same head with every field swapped.
  const be = new Uint8Array(shbLen + 20);
  const dv = new DataView(be.buffer);
  dv.setUint32(0, 0x0a0d0d0a, false);
  dv.setUint32(4, shbLen, false);
  dv.setUint32(8, 0x1a2b3c4d, false);
  dv.setUint32(shbLen, 1, false);
  dv.setUint16(shbLen + 8, 113, false);
  assert.equal(pcapngFirstLinkType(be), 113);
});

test('the dumpcap command line: interface, file, buffer, the filter as one argument, snaplen, count, duration', () => {
  assert.deepEqual(dumpcapArgs({ iface: 'lo', file: '/tmp/c.pcapng', filter: 'tcp port 25 or tcp port 110', snapLen: 1500 }), ['-i', 'lo', '-w', '/tmp/c.pcapng', '-B', '32', '-f', 'tcp port 25 or tcp port 110', '-s', '1500']);
  assert.deepEqual(dumpcapArgs({ iface: 'eth0', file: '/tmp/c.pcapng', bufferMb: 8, count: 10, durationS: 2.5 }), ['-i', 'eth0', '-w', '/tmp/c.pcapng', '-B', '8', '-c', '10', '-a', 'duration:3']);
  // The engine runs the capture process with the backend named; under Electron the dumpcap one
  // runs on Electron's own Node (no native module), the cap one on the system Node.
  assert.deepEqual(captureArgs({ iface: 'lo', file: '/tmp/c.pcapng', backend: 'dumpcap' }).slice(-2), ['--backend', 'dumpcap']);
  // cap is named too: the command's own default (auto) would pick dumpcap when it is installed.
  assert.deepEqual(captureArgs({ iface: 'lo', file: '/tmp/c.pcapng', backend: 'cap' }).slice(-2), ['--backend', 'cap']);
  assert.deepEqual(captureArgs({ iface: 'lo', file: '/tmp/c.pcapng' }).slice(-2), ['--backend', 'cap']);
  const electron = { ...process.versions, electron: '41.0.0' };
  assert.deepEqual(captureLaunch('dumpcap', { PATH: '/usr/bin' }, electron), { command: process.execPath, env: { PATH: '/usr/bin', ELECTRON_RUN_AS_NODE: '1' } });
  assert.deepEqual(captureLaunch('cap', { PATH: '/usr/bin' }, electron), { command: 'node', env: { PATH: '/usr/bin' } });
  assert.equal(captureLaunch('dumpcap', { WIRELENS_NODE: '/opt/node' }, electron).command, '/opt/node');
  assert.deepEqual(captureLaunch('dumpcap', {}, { ...process.versions }), { command: process.execPath, env: {} });
});

test('which backend: auto prefers dumpcap when installed and falls back to cap; an explicit choice is kept', () => {
  assert.deepEqual(backendsToTry('auto', '/usr/bin/dumpcap'), ['dumpcap', 'cap']);
  assert.deepEqual(backendsToTry('auto', null), ['cap']);
  assert.deepEqual(backendsToTry('cap', '/usr/bin/dumpcap'), ['cap']);
  assert.deepEqual(backendsToTry('dumpcap', null), ['dumpcap']);
  assert.equal(defaultBackendChoice({}), 'auto');
  assert.equal(defaultBackendChoice({ WIRELENS_CAPTURE_BACKEND: 'cap' }), 'cap');
  assert.equal(defaultBackendChoice({ WIRELENS_CAPTURE_BACKEND: 'rm -rf' }), 'auto');
  assert.equal(isBackendChoice('dumpcap'), true);
  assert.equal(isBackendChoice('tcpdump'), false);
});

test('finding dumpcap: $WIRELENS_DUMPCAP, then $PATH, then where Wireshark installers put it', () => {
  const have = (paths: string[]) => (p: string) => paths.includes(p);
  assert.equal(findDumpcap({ PATH: '/bin:/usr/bin' }, 'linux', have(['/usr/bin/dumpcap'])), '/usr/bin/dumpcap');
  assert.equal(findDumpcap({ PATH: '/bin:/usr/bin' }, 'linux', have([])), null);
  assert.equal(findDumpcap({ PATH: '/usr/bin', WIRELENS_DUMPCAP: '/opt/ws/dumpcap' }, 'linux', have(['/opt/ws/dumpcap', '/usr/bin/dumpcap'])), '/opt/ws/dumpcap');
  assert.equal(findDumpcap({ PATH: '/usr/bin', WIRELENS_DUMPCAP: '/opt/ws/dumpcap' }, 'linux', have(['/usr/bin/dumpcap'])), null, 'a named dumpcap that is not there is not replaced by another');
  assert.equal(findDumpcap({ PATH: '/usr/local/bin' }, 'darwin', have(['/Applications/Wireshark.app/Contents/MacOS/dumpcap'])), '/Applications/Wireshark.app/Contents/MacOS/dumpcap');
});

test('capture messages carry the kernel drop count when the capturing program reports it, and only as a number', () => {
  assert.deepEqual(parseCaptureMessage('{"event":"stopped","packets":3,"bytes":628,"ifReceived":6,"ifDropped":0,"kernelDropped":0}'), { event: 'stopped', packets: 3, bytes: 628, ifReceived: 6, ifDropped: 0, kernelDropped: 0 });
  assert.equal(parseCaptureMessage('{"event":"stats","packets":3,"bytes":628,"ifReceived":6,"ifDropped":0,"kernelDropped":"0"}'), null);
});

test('the renderer may ask for a backend, only one of the three', () => {
  for (const backend of ['auto', 'cap', 'dumpcap']) assert.equal(validateParams('startCapture', [{ iface: 'lo', backend }]).ok, true, backend);
  for (const backend of ['tcpdump', '/usr/bin/dumpcap', 1, null]) assert.equal(validateParams('startCapture', [{ iface: 'lo', backend }]).ok, false, String(backend));
});

test("the interface list from dumpcap's real machine-readable output (used when cap is not built)", () => {
  const list = parseDumpcapInterfaces(text('interfaces-M.txt'));
  assert.deepEqual(list.map((i) => i.name), ['eth0', 'any', 'lo', 'ifb0', 'ifb1', 'bluetooth-monitor', 'nflog', 'nfqueue', 'dbus-system', 'dbus-session']);
  const lo = list.find((i) => i.name === 'lo')!;
  assert.deepEqual([lo.description, lo.addresses, lo.loopback], ['Loopback', ['127.0.0.1', '::1'], true]);
  assert.deepEqual(list[0].addresses, ['192.0.2.2', 'fd00::2', 'fe80::fc:ff:fe00:1']);
  assert.equal(list[1].description, 'Pseudo-device that captures on all interfaces');
  assert.equal(list.filter((i) => i.loopback).length, 1);
  // Anything else is skipped, and names that could not be interface names are refused.
  assert.deepEqual(parseDumpcapInterfaces('Capturing on x\n1. lo; rm -rf /\t\t\t0\t\tloopback\t\n\n2. eth0 only\n'), []);
});
