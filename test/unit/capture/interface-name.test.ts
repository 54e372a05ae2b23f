/**
 * Issue 21, item 11: a capture names only an interface the backend listed. dumpcap's -i also takes
 * `TCP@host:port` (it then connects out, and its error says whether the port is open), pipe paths,
 * `-` (stdin) and index numbers: refused by the form check (IPC/WebSocket validator, dumpcap's
 * arguments) and by the capture process, which compares the name with the backend's list before
 * anything is opened. The attack is run against the real command with a listener on loopback that
 * must see no connection.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import type { InterfaceInfo } from '../../../api/engine-api';
import { interfaceNameProblem } from '../../../electron/capture/interface-name';
import { parseDumpcapInterfaces, unlistedInterfaceProblem } from '../../../electron/capture/interfaces';
import { dumpcapArgs } from '../../../electron/capture/dumpcap-process';
import { validateParams } from '../../../electron/shared/validate-params';
import { ROOT } from '../../helpers/fixtures';

const HOSTILE = [
  'TCP@127.0.0.1:22',
  'tcp@evil.example:2002',
  'udpdump@x',
  'rpcap://10.0.0.1/eth0',
  '/tmp/fifo',
  '../etc/passwd',
  '-',
  '-w',
  '--version',
  '1',
  '42',
  '',
  'a'.repeat(129),
  'lo\n',
  'lo;id',
  'eth0 -w /tmp/x',
];
const LISTED: InterfaceInfo[] = [
  'lo',
  'eth0',
  'any',
  'wlp2s0',
  'enp0s31f6.100',
  'br-1a2b3c',
  '\\Device\\NPF_{2B5E6C5A-1D2F-4C39-9E0A-8E7B1A0C3D4E}',
].map((name) => ({
  name,
  description: '',
  addresses: [],
  loopback: name === 'lo',
  up: true,
}));

test('the form check refuses remote sources, pipes, stdin, indexes and options; real names pass', () => {
  for (const name of HOSTILE) assert.notEqual(interfaceNameProblem(name), null, JSON.stringify(name));
  for (const i of LISTED) assert.equal(interfaceNameProblem(i.name), null, i.name);
  assert.match(interfaceNameProblem('TCP@127.0.0.1:22')!, /TCP@host:port/);
});

test('only a listed interface is accepted, and the refusal names the ones there are', () => {
  assert.equal(unlistedInterfaceProblem('lo', LISTED), null);
  assert.equal(unlistedInterfaceProblem(LISTED[6].name, LISTED), null);
  const missing = unlistedInterfaceProblem('eth9', LISTED)!;
  assert.match(missing, /no capture interface named "eth9" \(the interfaces are: lo, eth0, any/);
  assert.match(missing, /wirelens interfaces/);
  // Even if a list (a hostile or broken one) held such a name, the form check refuses it first.
  assert.match(
    unlistedInterfaceProblem('TCP@127.0.0.1:22', [...LISTED, { ...LISTED[0], name: 'TCP@127.0.0.1:22' }])!,
    /not an interface Wirelens can capture on/,
  );
});

test('the IPC/WebSocket validator and dumpcap arguments refuse them too', () => {
  for (const name of HOSTILE) {
    const r = validateParams('startCapture', [{ iface: name }]);
    assert.equal(r.ok, false, JSON.stringify(name));
    assert.throws(
      () => dumpcapArgs({ iface: name, file: '/tmp/x.pcapng' }),
      /refused interface/,
      JSON.stringify(name),
    );
  }
  assert.equal(validateParams('startCapture', [{ iface: 'lo', filter: 'tcp port 25' }]).ok, true);
  assert.throws(
    () => dumpcapArgs({ iface: 'lo', file: '/tmp/x.pcapng', filter: 'tcp\n-w /etc/x' }),
    /one line of BPF/,
  );
});

test("dumpcap's list never offers a remote or odd name", () => {
  const text =
    '1. eth0\t\t\t0\t192.0.2.2\tnetwork\t\n2. TCP@127.0.0.1:22\t\t\t0\t\tnetwork\t\n3. lo\t\tLoopback\t0\t127.0.0.1\tloopback\t\n4. -w\t\t\t0\t\tnetwork\t\n';
  assert.deepEqual(
    parseDumpcapInterfaces(text).map((i) => i.name),
    ['eth0', 'lo'],
  );
});

test('the real command refuses TCP@host:port before any program opens it: no connection reaches the port', async () => {
  let connections = 0;
  const server = createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    for (const backend of ['auto', 'dumpcap', 'cap']) {
      for (const json of [false, true]) {
        const args = [
          join(ROOT, 'bin', 'wirelens.mjs'),
          'capture',
          '-i',
          `TCP@127.0.0.1:${port}`,
          '--duration',
          '1',
          '--backend',
          backend,
          '-w',
          '/tmp/wirelens-never-written.pcapng',
        ];
        if (json) args.push('--status-json');
        const r = spawnSync(process.execPath, args, { encoding: 'utf8', input: '' });
        assert.equal(r.status, 1, `${backend}: ${r.stderr}`);
        const said = json
          ? (JSON.parse(r.stdout.trim().split('\n')[0]) as { event: string; message: string })
          : { event: 'error', message: r.stderr };
        assert.equal(said.event, 'error');
        assert.match(said.message, /not an interface Wirelens can capture on/, backend);
      }
    }
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(connections, 0, 'nothing connected to the port');
  } finally {
    server.close();
  }
});
