/**
 * Display-filter compiler: operators and logic on a field accessor fed from a literal packet, and
 * errors that say what is wrong and where (the UI underlines the position).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PacketFieldAccessor } from '../../../dissectors/filter/accessor';
import { compileFilter } from '../../../dissectors/filter/compile';

function packet(fields: Record<string, Array<number | string | Uint8Array>>, protocols: string[]): PacketFieldAccessor {
  return { values: (f) => fields[f] ?? [], hasProtocol: (p) => protocols.includes(p) };
}

const p = packet(
  {
    'ip.addr': ['10.1.2.3', '192.0.2.7'],
    'tcp.port': [54321, 25],
    'tcp.stream': [4],
    'smtp.req.command': ['MAIL'],
    'smtp.req.parameter': ['FROM:<Alice@Example.org>'],
    frame: [new TextEncoder().encode('MAIL FROM:<alice@example.org>\r\n')],
  },
  ['frame', 'ip', 'tcp', 'smtp'],
);

function check(text: string): boolean {
  const c = compileFilter(text);
  assert.ok(c.ok, `${text}: ${c.ok ? '' : c.error}`);
  return c.ok && c.filter.matches(p);
}

test('comparisons, sets, ranges, CIDR, contains, matches and logic', () => {
  const yes = [
    'smtp',
    'tcp && smtp',
    'tcp.port == 25',
    'tcp.port eq 25 and not udp',
    'tcp.port > 50000',
    'tcp.port != 80',
    'ip.addr == 10.0.0.0/8',
    'ip.addr == 192.0.2.7',
    'tcp.stream in {1 2 4}',
    'tcp.stream in {1, 3..5}',
    'smtp.req.command == "MAIL"',
    'smtp.req.command == MAIL',
    'smtp.req.parameter contains "Example"',
    'smtp.req.parameter matches "alice@example\\\\.org"',
    'smtp.req.parameter ~ "^from:"',
    'frame contains "FROM:<"',
    '!(udp || tcp.port == 110)',
  ];
  const no = ['udp', 'tcp.port == 80', 'tcp.port != 25', 'ip.addr == 172.16.0.0/12', 'tcp.stream in {0..3}', 'smtp.req.command == "mail"', 'frame contains "RCPT"', 'tcp && !smtp', 'http.request.method'];
  for (const f of yes) assert.equal(check(f), true, f);
  for (const f of no) assert.equal(check(f), false, f);
});

test('errors say what is wrong and where', () => {
  const cases: Array<[string, RegExp, number]> = [
    ['tcp.port ==', /expected a value/, 11],
    ['foo.bar == 1', /"foo\.bar" is neither a field nor a protocol name/, 0],
    ['tcp.port == 25 &&', /expected a field or protocol name/, 17],
    ['(tcp', /expected '\)'/, 4],
    ['smtp.req.command == "MAIL', /no closing quote/, 20],
    ['tcp.stream in {1 2', /no closing '}'/, 14],
    ['frame matches "("', /not a valid regular expression/, 0],
    ['tcp $ udp', /unexpected character '\$'/, 4],
  ];
  for (const [text, msg, pos] of cases) {
    const c = compileFilter(text);
    assert.equal(c.ok, false, text);
    if (!c.ok) {
      assert.match(c.error, msg, text);
      assert.equal(c.position, pos, `${text}: position`);
    }
  }
  assert.equal(compileFilter('x'.repeat(5000)).ok, false, 'over-long filters are refused');
});
