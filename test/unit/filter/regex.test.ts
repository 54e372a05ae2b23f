/**
 * The display filter's own regular expressions (dissectors/filter/regex.ts): the same answers as a
 * backtracking engine on the syntax both read, in time linear in the text (the ReDoS patterns of
 * issue 21 finish at once), and the constructs that need backtracking refused with a message.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { PacketFieldAccessor } from '../../../dissectors/filter/accessor';
import { compileFilter } from '../../../dissectors/filter/compile';
import { compileRegex, RegexError } from '../../../dissectors/filter/regex';
import { LIMITS } from '../../../dissectors/limits';

test('agrees with a backtracking engine (JavaScript RegExp, ignoring case) on random patterns and texts', () => {
  const atom = fc.oneof(
    fc.constantFrom(
      'a',
      'b',
      'A',
      '1',
      ' ',
      '-',
      '.',
      '\\d',
      '\\w',
      '\\s',
      '\\W',
      '[ab]',
      '[^a]',
      '[a-c1]',
      '\\.',
      '\\x41',
      '[[:digit:]]',
    ),
  );
  const piece = fc
    .tuple(atom, fc.constantFrom('', '', '*', '+', '?', '{2}', '{1,3}', '{0,}', '*?'))
    .map(([a, q]) => a + q);
  const leaf = fc.array(piece, { minLength: 1, maxLength: 4 }).map((ps) => ps.join(''));
  const pattern = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(tie('node'), tie('node')).map(([x, y]) => `${x}|${y}`),
      fc.tuple(tie('node'), fc.constantFrom('', '*', '+', '?', '{1,2}')).map(([x, q]) => `(${x})${q}`),
      fc.tuple(tie('node'), tie('node')).map(([x, y]) => `(?:${x})${y}`),
      fc.tuple(fc.constantFrom('^', '\\b', '\\B', ''), tie('node')).map(([a, x]) => a + x),
    ),
  })).node as fc.Arbitrary<string>;
  const text = fc
    .array(fc.constantFrom('a', 'b', 'A', 'B', '1', '7', ' ', '-', '.', '_'), { maxLength: 24 })
    .map((cs) => cs.join(''));
  fc.assert(
    fc.property(pattern, text, (p, t) => {
      assert.equal(
        compileRegex(p).test(t),
        new RegExp(p.replaceAll('[[:digit:]]', '[0-9]'), 'i').test(t),
        `${p} on ${JSON.stringify(t)}`,
      );
    }),
    { numRuns: 3000, seed: 21 },
  );
});

test('PCRE forms: options, anchors before a final newline, escapes, counted repetition, literal braces', () => {
  const cases: Array<[string, string, boolean]> = [
    ['(?-i)MAIL', 'mail from', false],
    ['(?-i)MAIL', 'MAIL FROM', true],
    ['(?-i:A)b', 'aB', false],
    ['(?-i:A)b', 'AB', true],
    ['x(?-i)y|Z', 'Xz', false], // (?-i) lasts to the end of its group, across |
    ['(?<name>ab)c', 'xabc', true],
    ['gmail\\.com$', 'to:<x@gmail.com>', false],
    ['gmail\\.com>$', 'to:<x@gmail.com>\n', true],
    ['\\Aab\\z', 'ab\n', false],
    ['a{,2}', 'a{,2}', true],
    ['\\x{263a}', '\u263a', true],
    ['[\\d.]+', 'v1.2', true],
    ['a.b', 'a\nb', false],
  ];
  for (const [p, t, want] of cases)
    assert.equal(compileRegex(p).test(t), want, `${p} on ${JSON.stringify(t)}`);
});

// Exponential backtracking would take years on 65,536 characters; the timeout only stops a hang.
test(
  'catastrophic patterns (issue 21: "(a|a)*b") finish on the longest value searched',
  { timeout: 60_000 },
  () => {
    const long = 'a'.repeat(LIMITS.regexInput.value * 2); // only the first regexInput characters are searched
    for (const p of [
      '(a|a)*b',
      '(a+)+b',
      '(a*)*b',
      '(x+x+)+y|(a|aa)+$b',
      '(?-i)^(([a-z])+.)+[A-Z]([a-z])+$',
      '(a?){30}a{30}b',
    ]) {
      assert.equal(compileRegex(p).test(long), false, p);
    }
  },
);

test('constructs that need backtracking, and oversized patterns, are refused with a message saying why', () => {
  const refused: Array<[string, RegExp]> = [
    ['(a)\\1', /backreferences/],
    ['(?<n>a)\\k<n>', /backreferences/],
    ['(?=a)b', /lookahead and lookbehind/],
    ['(?<!a)b', /lookahead and lookbehind/],
    ['(?>a+)b', /atomic groups/],
    ['a++b', /possessive/],
    ['a**', /nothing to repeat/],
    ['\\p{L}', /"\\p" is not supported/],
    ['(?s)a.b', /option "s" is not supported/],
    ['[b-a]', /out of order/],
    ['a{2000}', /above 1,000/],
    ['(((a{1000}){1000}))', /too large/],
    ['x'.repeat(1001), /longer than 1,000/],
    ['(ab', /missing "\)"/],
    ['ab)', /unmatched/],
  ];
  for (const [p, why] of refused) {
    assert.throws(
      () => compileRegex(p),
      (e: unknown) => e instanceof RegexError && why.test(e.message),
      p,
    );
  }
  const c = compileFilter('smtp.req.parameter matches "(a)\\\\1"');
  assert.ok(
    !c.ok && /not a valid regular expression here: backreferences/.test(c.error),
    c.ok ? 'compiled' : c.error,
  );
});

test('the filter of issue 21 on an SMTP parameter of 65,536 "a": answered, no match', () => {
  const c = compileFilter('smtp.req.parameter matches "(a|a)*b"');
  assert.ok(c.ok);
  const packet: PacketFieldAccessor = {
    values: (f) => (f === 'smtp.req.parameter' ? ['a'.repeat(70_000), `FROM:<${'a'.repeat(5000)}>`] : []),
    hasProtocol: () => true,
  };
  assert.equal(c.filter.matches(packet), false);
  const d = compileFilter('smtp.req.parameter matches "(a|a)*>$"');
  assert.ok(d.ok && d.filter.matches(packet));
});

test('any pattern text either compiles or is refused with a RegexError, and a compiled one searches any text', () => {
  const chars = fc.constantFrom(...'()[]{}|*+?.^$\\-:,=!<>PkbBdDwWsSxaAzZ019iI '.split(''));
  fc.assert(
    fc.property(fc.array(chars, { maxLength: 30 }), fc.string({ maxLength: 40 }), (cs, text) => {
      let re;
      try {
        re = compileRegex(cs.join(''));
      } catch (e) {
        assert.ok(e instanceof RegexError, `${cs.join('')}: ${String(e)}`);
        return;
      }
      assert.equal(typeof re.test(text), 'boolean');
    }),
    { numRuns: 5000, seed: 7 },
  );
});
