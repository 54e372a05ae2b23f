/**
 * The parts of live capture that run without libpcap: the capture process's status lines are
 * parsed strictly (anything else is ignored, never trusted), the command line it gets, which Node
 * runs it (the system Node under Electron, because `cap` is built for it), and the checks on the
 * capture options the renderer sends.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCaptureMessage } from '../../../electron/capture/capture-messages';
import { captureArgs, captureNode } from '../../../electron/capture/capture-process';
import { countersSince } from '../../../electron/capture/interface-stats';
import { validateParams } from '../../../electron/shared/validate-params';

test('status lines: the four shapes are accepted, anything else is dropped', () => {
  assert.deepEqual(parseCaptureMessage('{"event":"stats","packets":3,"bytes":200,"ifReceived":4,"ifDropped":0}'), { event: 'stats', packets: 3, bytes: 200, ifReceived: 4, ifDropped: 0 });
  assert.deepEqual(parseCaptureMessage('{"event":"stopped","packets":3,"bytes":200,"ifReceived":null,"ifDropped":null,"extra":1}'), { event: 'stopped', packets: 3, bytes: 200, ifReceived: null, ifDropped: null });
  assert.deepEqual(parseCaptureMessage('{"event":"error","message":"no such device"}'), { event: 'error', message: 'no such device' });
  assert.equal(parseCaptureMessage('{"event":"started","file":"/tmp/x.pcapng","linkType":1,"linkTypeName":"ETHERNET","iface":"lo","filter":""}')?.event, 'started');
  for (const bad of ['', 'not json', '[]', 'null', '{"event":"stats","packets":"3","bytes":1,"ifReceived":null,"ifDropped":null}', '{"event":"stats","packets":1e999,"bytes":1,"ifReceived":null,"ifDropped":null}', '{"event":"started","file":1}', '{"event":"shell","cmd":"rm"}'])
    assert.equal(parseCaptureMessage(bad), null, bad);
});

test('the capture process command line carries the interface, the filter as one argument, and the flush interval', () => {
  const a = captureArgs({ iface: 'lo', filter: 'tcp port 25 or tcp port 110', file: '/tmp/c.pcapng', snapLen: 1500, flushMs: 250 });
  assert.match(a[0], /bin[/\\]wirelens\.mjs$/);
  assert.deepEqual(a.slice(1), ['capture', '--status-json', '-i', 'lo', '-w', '/tmp/c.pcapng', '-f', 'tcp port 25 or tcp port 110', '--snaplen', '1500', '--flush-ms', '250', '--backend', 'cap']);
  assert.ok(!captureArgs({ iface: 'lo', file: '/tmp/c.pcapng' }).includes('-f'));
});

test('under Electron the capture runs on the system node (cap is built for it); WIRELENS_NODE overrides', () => {
  assert.equal(captureNode({}, { ...process.versions }), process.execPath);
  assert.equal(captureNode({}, { ...process.versions, electron: '41.0.0' }), 'node');
  assert.equal(captureNode({ WIRELENS_NODE: '/opt/node/bin/node' }, { ...process.versions, electron: '41.0.0' }), '/opt/node/bin/node');
});

test('interface counters are reported since the start of the capture', () => {
  assert.deepEqual(countersSince({ rxPackets: 100, rxDropped: 2 }, { rxPackets: 350, rxDropped: 2 }), { rxPackets: 250, rxDropped: 0 });
  assert.equal(countersSince(null, { rxPackets: 1, rxDropped: 0 }), null);
});

test('startCapture options from the renderer are checked before anything runs', () => {
  assert.equal(validateParams('startCapture', [{ iface: 'lo', filter: 'tcp port 1025', snaplen: 65535 }]).ok, true);
  for (const bad of [
    [{ iface: 'lo; rm -rf /' }],
    [{ iface: 'lo', filter: 'tcp\nport 25' }],
    [{ iface: 'lo', snaplen: 10 }],
    [{ iface: 'lo', command: 'x' }],
    [{ filter: 'tcp' }],
    ['lo'],
    [],
  ])
    assert.equal(validateParams('startCapture', bad).ok, false, JSON.stringify(bad));
});
