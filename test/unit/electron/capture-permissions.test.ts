/**
 * A refused capture is answered with what to do on the user's system, not a stack trace: libpcap's
 * messages (as `cap` passes them) and dumpcap's (recorded) become advice for each platform.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CAP_MISSING_HELP } from '../../../electron/capture/load-cap';
import { captureHelp, isPermissionError } from '../../../electron/capture/permissions';

const EPERM = 'socket: Operation not permitted';

test('Linux: the setcap command for the Node that runs the capture process, and dumpcap when it is not installed', () => {
  const withDumpcap = captureHelp(EPERM, 'linux', '/usr/bin/node', true);
  assert.match(withDumpcap, /Capture is not allowed for this user \(socket: Operation not permitted\)/);
  assert.match(withDumpcap, /sudo setcap cap_net_raw,cap_net_admin=eip \/usr\/bin\/node/);
  assert.doesNotMatch(withDumpcap, /install Wireshark's dumpcap/, 'dumpcap is there: do not tell the user to install it');
  const without = captureHelp(EPERM, 'linux', '/usr/bin/node', false);
  assert.match(without, /install Wireshark's dumpcap .*usermod -aG wireshark/);
});

test('macOS, Windows and other systems get their own way to grant capture', () => {
  assert.match(captureHelp("BIOCSETIF: en0: Permission denied", 'darwin', 'node', false), /ChmodBPF/);
  assert.match(captureHelp('Error opening adapter: access denied (EACCES)', 'win32', 'node', false), /Npcap/);
  assert.match(captureHelp(EPERM, 'freebsd', 'node', false), /rights to open raw sockets/);
});

test('not a permission problem: a bad filter and an unknown interface say what to do, anything else is passed on', () => {
  assert.equal(isPermissionError("syntax error in filter expression"), false);
  assert.match(captureHelp("can't parse filter expression: syntax error", 'linux', 'node', true), /^The capture filter is not valid BPF: .*tcpdump syntax/);
  assert.match(captureHelp('nosuchif0: No such device exists (SIOCGIFHWADDR: No such device)', 'linux', 'node', true), /wirelens interfaces/);
  assert.equal(captureHelp('something else broke', 'linux', 'node', true), 'something else broke');
});

test('with neither dumpcap nor cap, the message names both ways to get live capture', () => {
  assert.match(CAP_MISSING_HELP, /Wireshark's dumpcap or the native libpcap binding/);
  assert.match(CAP_MISSING_HELP, /sudo apt-get install tshark/);
  assert.match(CAP_MISSING_HELP, /sudo apt-get install libpcap-dev && npm rebuild cap/);
});
