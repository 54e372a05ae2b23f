/**
 * A refused capture is answered with what to do on the user's system, not a stack trace: libpcap's
 * messages (as `cap` passes them) and dumpcap's (recorded) become advice for each platform. Rights are
 * only ever advised for Wireshark's dumpcap (or root), never for the system `node`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CAP_MISSING_HELP } from '../../../electron/capture/load-cap';
import { captureHelp, dumpcapRightsAdvice, isPermissionError } from '../../../electron/capture/permissions';

const EPERM = 'socket: Operation not permitted';
const PLATFORMS: NodeJS.Platform[] = ['linux', 'darwin', 'win32', 'freebsd'];

test('no advice ever gives capture rights to node or opens the BPF devices to everyone (issue 21, item 12)', () => {
  for (const platform of PLATFORMS)
    for (const dumpcap of [true, false]) {
      const text = captureHelp(EPERM, platform, dumpcap) + dumpcapRightsAdvice(platform);
      assert.doesNotMatch(text, /setcap/, `${platform}: no setcap command to type`);
      assert.doesNotMatch(text, /\bnode\b|process\.execPath|\/usr\/bin\/node/i, `${platform}: node is never given rights`);
      assert.doesNotMatch(text, /chmod\s|\/dev\/bpf\*? *[+=]|o\+r/, `${platform}: no chmod of devices`);
    }
});

test("Linux: rights go to dumpcap through Debian's wireshark-common and the wireshark group, or the capture runs as root", () => {
  const withDumpcap = captureHelp(EPERM, 'linux', true);
  assert.match(withDumpcap, /^Capture is not allowed for this user \(socket: Operation not permitted\)/);
  assert.match(withDumpcap, /sudo dpkg-reconfigure wireshark-common/);
  assert.match(withDumpcap, /sudo usermod -aG wireshark \$USER/);
  assert.match(withDumpcap, /cap_net_raw and cap_net_admin/);
  assert.match(withDumpcap, /only that group may run it/);
  assert.match(withDumpcap, /dumpcap is installed: capture with it/);
  assert.match(withDumpcap, /run this capture as root/);
  const without = captureHelp(EPERM, 'linux', false);
  assert.match(without, /sudo apt-get install wireshark-common/);
  assert.doesNotMatch(without, /dumpcap is installed/);
});

test('macOS: ChmodBPF and the access_bpf group; Windows: Npcap; other systems: dumpcap or root', () => {
  const mac = captureHelp('BIOCSETIF: en0: Permission denied', 'darwin', false);
  assert.match(mac, /ChmodBPF/);
  assert.match(mac, /access_bpf/);
  assert.match(mac, /dseditgroup -o edit -a \$USER -t user access_bpf/);
  const win = captureHelp('Error opening adapter: access denied (EACCES)', 'win32', false);
  assert.match(win, /^Capture failed/);
  assert.match(win, /Npcap/);
  assert.match(win, /Administrators only/);
  assert.doesNotMatch(win, /sudo/);
  assert.match(captureHelp(EPERM, 'freebsd', false), /dumpcap.*or run the capture as root/);
});

test('not a permission problem: a bad filter and an unknown interface say what to do, anything else is passed on', () => {
  assert.equal(isPermissionError("syntax error in filter expression"), false);
  assert.match(captureHelp("can't parse filter expression: syntax error", 'linux', true), /^The capture filter is not valid BPF: .*tcpdump syntax/);
  assert.match(captureHelp('nosuchif0: No such device exists (SIOCGIFHWADDR: No such device)', 'linux', true), /wirelens interfaces/);
  assert.equal(captureHelp('something else broke', 'linux', true), 'something else broke');
});

test('with neither dumpcap nor cap, the message names both ways to get live capture', () => {
  assert.match(CAP_MISSING_HELP, /Wireshark's dumpcap or the native libpcap binding/);
  assert.match(CAP_MISSING_HELP, /sudo apt-get install tshark/);
  assert.match(CAP_MISSING_HELP, /sudo apt-get install libpcap-dev && npm rebuild cap/);
});
