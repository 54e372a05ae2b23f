/**
 * The display filter's regular expressions (`matches`, `~`): a small engine of Wirelens's own that
 * runs in time linear in the input (a Thompson NFA simulated over the input once, every state at
 * most once per character), so no pattern — `(a|a)*b` included — can make a filter run for
 * minutes. It reads the syntax tshark users write (PCRE's common part): literals, `.`, classes
 * `[a-z]` `[^…]` `[[:alpha:]]`, escapes `\d \w \s \D \W \S \b \B \n \r \t \xHH`, anchors `^ $ \A \z
 * \Z`, `* + ? {m} {m,} {m,n}` (and their lazy `?` forms, which match the same texts), alternation,
 * groups `(…)` `(?:…)` `(?<name>…)`, and the options `(?i)` `(?-i)` `(?i:…)`. As in Wireshark,
 * matching ignores case unless the pattern says `(?-i)`. What needs backtracking (backreferences,
 * lookahead/lookbehind, atomic groups, possessive quantifiers) is refused with a message.
 */
import { LIMITS } from '../limits';

export class RegexError extends Error {}

// Program instructions (an NFA: each state one instruction).
const CHAR = 0; // matches one character of a set
const SPLIT = 1; // goes on at x and y
const JMP = 2;
const ASSERT = 3; // zero-width test
const MATCH = 4;

const A_BEGIN = 0,
  A_END = 1,
  A_END_NL = 2,
  A_WORD = 3,
  A_NOT_WORD = 4;

/** A set of UTF-16 code units: a table below 256, ranges above. */
interface CharSet {
  low: Uint8Array; // 256 entries, 1 = in the set
  high: Array<[number, number]>;
  negated: boolean;
}

type Ast =
  | { k: 'set'; set: CharSet }
  | { k: 'cat'; items: Ast[] }
  | { k: 'alt'; items: Ast[] }
  | { k: 'rep'; item: Ast; min: number; max: number } // max -1 = unbounded
  | { k: 'assert'; a: number }
  | { k: 'empty' };

function newSet(): CharSet {
  return { low: new Uint8Array(256), high: [], negated: false };
}

function addRange(s: CharSet, lo: number, hi: number): void {
  for (let c = lo; c <= Math.min(hi, 255); c++) s.low[c] = 1;
  if (hi > 255) s.high.push([Math.max(lo, 256), hi]);
}

function inSet(s: CharSet, c: number): boolean {
  let hit = false;
  if (c < 256) hit = s.low[c] === 1;
  else for (const [lo, hi] of s.high) if (c >= lo && c <= hi) hit = true;
  return hit !== s.negated;
}

/** The other case of a letter (ASCII and Latin-1), or -1. */
function otherCase(c: number): number {
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0xc0 && c <= 0xde && c !== 0xd7)) return c + 0x20;
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0xe0 && c <= 0xfe && c !== 0xf7)) return c - 0x20;
  return -1;
}

function foldSet(s: CharSet): void {
  for (let c = 0; c < 256; c++) {
    if (!s.low[c]) continue;
    const o = otherCase(c);
    if (o >= 0) s.low[o] = 1;
  }
}

const isWordChar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;

function classSet(letter: string): CharSet | null {
  const s = newSet();
  switch (letter.toLowerCase()) {
    case 'd':
      addRange(s, 0x30, 0x39);
      break;
    case 'w':
      for (let c = 0; c < 128; c++) if (isWordChar(c)) s.low[c] = 1;
      break;
    case 's':
      for (const c of [9, 10, 11, 12, 13, 32]) s.low[c] = 1;
      break;
    case 'h':
      for (const c of [9, 32, 0xa0]) s.low[c] = 1;
      break;
    default:
      return null;
  }
  if (letter !== letter.toLowerCase()) s.negated = true;
  return s;
}

const POSIX: Record<string, (c: number) => boolean> = {
  alpha: (c) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a),
  digit: (c) => c >= 0x30 && c <= 0x39,
  alnum: (c) => POSIX.alpha(c) || POSIX.digit(c),
  upper: (c) => c >= 0x41 && c <= 0x5a,
  lower: (c) => c >= 0x61 && c <= 0x7a,
  space: (c) => c === 32 || (c >= 9 && c <= 13),
  blank: (c) => c === 32 || c === 9,
  xdigit: (c) => POSIX.digit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66),
  punct: (c) => c > 32 && c < 127 && !POSIX.alnum(c),
  print: (c) => c >= 32 && c < 127,
  graph: (c) => c > 32 && c < 127,
  cntrl: (c) => c < 32 || c === 127,
  word: (c) => isWordChar(c),
  ascii: (c) => c < 128,
};

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11, e: 27, a: 7, '0': 0 };

class Parser {
  private i = 0;
  /** Case-insensitive: Wireshark's default for `matches`. */
  private ci = true;

  constructor(private readonly src: string) {}

  fail(what: string): never {
    throw new RegexError(`${what} (at character ${this.i + 1} of the regular expression)`);
  }

  parse(): Ast {
    const ast = this.alternation();
    if (this.i < this.src.length) this.fail('unmatched ")"');
    return ast;
  }

  private alternation(): Ast {
    const items = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      items.push(this.sequence());
    }
    return items.length === 1 ? items[0] : { k: 'alt', items };
  }

  private sequence(): Ast {
    const items: Ast[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.atom();
      if (atom) items.push(this.quantified(atom));
    }
    return items.length === 1 ? items[0] : items.length === 0 ? { k: 'empty' } : { k: 'cat', items };
  }

  /** The atom with its quantifier, if one follows (one only: `a**` is refused, as PCRE does). */
  private quantified(atom: Ast): Ast {
    const c = this.src[this.i];
    let min: number, max: number;
    if (c === '*') [min, max] = [0, -1];
    else if (c === '+') [min, max] = [1, -1];
    else if (c === '?') [min, max] = [0, 1];
    else {
      const m = c === '{' ? /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i)) : null;
      if (!m) return atom; // (a "{" not starting a repetition is a literal, as in PCRE)
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
      if (max !== -1 && max < min)
        this.fail(`the repetition {${m[1]},${m[3]}} has its numbers in the wrong order`);
      if (min > LIMITS.regexRepeat.value || max > LIMITS.regexRepeat.value)
        this.fail(LIMITS.regexRepeat.message);
      this.i += m[0].length - 1;
    }
    this.i++;
    if (atom.k === 'assert' || atom.k === 'empty') this.fail('nothing to repeat');
    if (this.src[this.i] === '?')
      this.i++; // lazy: matches the same texts
    else if (this.src[this.i] === '+')
      this.fail('possessive quantifiers (*+, ++, ?+) are not supported: remove the last "+"');
    return { k: 'rep', item: atom, min, max };
  }

  private single(c: number): Ast {
    const set = newSet();
    addRange(set, c, c);
    if (this.ci) foldSet(set);
    return { k: 'set', set };
  }

  private atom(): Ast | null {
    const c = this.src[this.i++];
    switch (c) {
      case '.': {
        const set = newSet();
        set.low[10] = 1;
        set.negated = true; // any character but a newline, as PCRE
        return { k: 'set', set };
      }
      case '^':
        return { k: 'assert', a: A_BEGIN };
      case '$':
        return { k: 'assert', a: A_END_NL };
      case '[':
        return this.bracket();
      case '(':
        return this.group();
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
        return this.fail('nothing to repeat');
      default:
        return this.single(c.charCodeAt(0));
    }
  }

  private group(): Ast | null {
    const rest = this.src.slice(this.i);
    if (rest.startsWith('?')) {
      if (/^\?(=|!|<=|<!)/.test(rest))
        this.fail('lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not supported');
      if (rest.startsWith('?>')) this.fail('atomic groups (?>…) are not supported');
      if (/^\?(P?<[A-Za-z_]\w*>|'[A-Za-z_]\w*')/.test(rest)) {
        this.i += /^\?(P?<[A-Za-z_]\w*>|'[A-Za-z_]\w*')/.exec(rest)![0].length;
      } else if (rest.startsWith('?:')) this.i += 2;
      else {
        const m = /^\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(rest);
        if (!m) this.fail(`the group "(${rest.slice(0, 3)}" is not supported`);
        for (const f of (m[1] ?? '') + (m[2] ?? ''))
          if (f !== 'i') this.fail(`the option "${f}" is not supported (only (?i) and (?-i))`);
        const ci = m[2]?.includes('i') ? false : m[1].includes('i') ? true : this.ci;
        this.i += m[0].length;
        if (m[3] === ')') {
          this.ci = ci; // applies to the rest of the enclosing group
          return null;
        }
        const saved = this.ci;
        this.ci = ci;
        const inner = this.alternation();
        this.ci = saved;
        this.closeGroup();
        return inner;
      }
    }
    const saved = this.ci;
    const inner = this.alternation();
    this.ci = saved;
    this.closeGroup();
    return inner;
  }

  private closeGroup(): void {
    if (this.src[this.i] !== ')') this.fail('missing ")"');
    this.i++;
  }

  /** An escape outside brackets: a class, an assertion or one character. */
  private escape(): Ast {
    const e = this.src[this.i++];
    if (e === undefined) this.fail('the expression ends with "\\"');
    const cls = classSet(e);
    if (cls) return { k: 'set', set: cls };
    switch (e) {
      case 'b':
        return { k: 'assert', a: A_WORD };
      case 'B':
        return { k: 'assert', a: A_NOT_WORD };
      case 'A':
        return { k: 'assert', a: A_BEGIN };
      case 'z':
        return { k: 'assert', a: A_END };
      case 'Z':
        return { k: 'assert', a: A_END_NL };
    }
    return this.single(this.escapedChar(e));
  }

  /** The character an escape (after the backslash, `e` already read) stands for. */
  private escapedChar(e: string): number {
    if (e in SIMPLE_ESCAPES && !/[0-9]/.test(this.src[this.i] ?? '')) return SIMPLE_ESCAPES[e];
    if (/[1-9]/.test(e) || e === 'g' || e === 'k')
      this.fail('backreferences (\\1, \\g, \\k) are not supported');
    if (e === 'x') {
      const m = /^(?:\{([0-9a-fA-F]{1,4})\}|([0-9a-fA-F]{1,2}))/.exec(this.src.slice(this.i));
      if (!m) this.fail('"\\x" must be followed by hex digits');
      this.i += m[0].length;
      return parseInt(m[1] ?? m[2], 16);
    }
    if (/[A-Za-z0-9]/.test(e)) this.fail(`the escape "\\${e}" is not supported`);
    return e.charCodeAt(0); // an escaped punctuation character stands for itself
  }

  private bracket(): Ast {
    const set = newSet();
    if (this.src[this.i] === '^') {
      set.negated = true;
      this.i++;
    }
    let first = true;
    for (;;) {
      if (this.i >= this.src.length) this.fail('missing "]"');
      let c = this.src[this.i];
      if (c === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.src.slice(this.i));
      if (posix) {
        const test = POSIX[posix[2]];
        if (!test) this.fail(`the class "[:${posix[2]}:]" is not known`);
        for (let x = 0; x < 256; x++) if (test(x) !== (posix[1] === '^')) set.low[x] = 1;
        this.i += posix[0].length;
        continue;
      }
      this.i++;
      let lo: number;
      if (c === '\\') {
        c = this.src[this.i++];
        if (c === undefined) this.fail('missing "]"');
        const cls = classSet(c);
        if (cls) {
          for (let x = 0; x < 256; x++) if (inSet(cls, x)) set.low[x] = 1;
          if (cls.negated) set.high.push([256, 0xffff]);
          continue;
        }
        lo = c === 'b' ? 8 : this.escapedChar(c);
      } else lo = c.charCodeAt(0);
      let hi = lo;
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        this.i++;
        let h = this.src[this.i++];
        if (h === '\\') {
          h = this.src[this.i++];
          if (h === undefined || classSet(h)) this.fail('a range in brackets must end with a character');
          hi = this.escapedChar(h);
        } else hi = h.charCodeAt(0);
        if (hi < lo)
          this.fail(`the range "${String.fromCharCode(lo)}-${String.fromCharCode(hi)}" is out of order`);
      }
      addRange(set, lo, hi);
    }
    if (this.ci) foldSet(set);
    return { k: 'set', set };
  }
}

/** A compiled program: instruction kinds and operands in parallel arrays. */
interface Program {
  op: number[];
  x: number[];
  y: number[];
  sets: Array<CharSet | null>;
}

function compile(ast: Ast): Program {
  const p: Program = { op: [], x: [], y: [], sets: [] };
  const emit = (op: number, x = 0, y = 0, set: CharSet | null = null): number => {
    if (p.op.length >= LIMITS.regexStates.value) throw new RegexError(LIMITS.regexStates.message);
    p.op.push(op);
    p.x.push(x);
    p.y.push(y);
    p.sets.push(set);
    return p.op.length - 1;
  };
  const gen = (a: Ast): void => {
    switch (a.k) {
      case 'empty':
        return;
      case 'set':
        emit(CHAR, 0, 0, a.set);
        return;
      case 'assert':
        emit(ASSERT, a.a);
        return;
      case 'cat':
        for (const it of a.items) gen(it);
        return;
      case 'alt': {
        const jumps: number[] = [];
        for (let k = 0; k < a.items.length - 1; k++) {
          const split = emit(SPLIT);
          p.x[split] = split + 1;
          gen(a.items[k]);
          jumps.push(emit(JMP));
          p.y[split] = p.op.length;
        }
        gen(a.items[a.items.length - 1]);
        for (const j of jumps) p.x[j] = p.op.length;
        return;
      }
      case 'rep': {
        for (let k = 0; k < a.min; k++) gen(a.item);
        if (a.max === -1) {
          const split = emit(SPLIT);
          p.x[split] = split + 1;
          gen(a.item);
          emit(JMP, split);
          p.y[split] = p.op.length;
        } else {
          const splits: number[] = [];
          for (let k = a.min; k < a.max; k++) {
            const split = emit(SPLIT);
            p.x[split] = split + 1;
            splits.push(split);
            gen(a.item);
          }
          for (const s of splits) p.y[s] = p.op.length;
        }
        return;
      }
    }
  };
  gen(ast);
  emit(MATCH);
  return p;
}

export interface SafeRegex {
  /** Whether the pattern matches anywhere in the text (its first LIMITS.regexInput.value characters). */
  test(text: string): boolean;
}

/** Compiles a pattern; throws RegexError (with a message for the user) when it cannot be used. */
export function compileRegex(pattern: string): SafeRegex {
  if (pattern.length > LIMITS.regexPattern.value) throw new RegexError(LIMITS.regexPattern.message);
  const prog = compile(new Parser(pattern).parse());
  const n = prog.op.length;
  const stack = new Int32Array(2 * n + 2); // a state is pushed at most once per edge into it
  const mark = new Int32Array(n).fill(-1); // the step in which a state was last added
  let step = 0;
  let cur = new Int32Array(n);
  let next = new Int32Array(n);
  /** Adds state s (following jumps, splits and assertions at position i) to `list`; -1 when it reaches MATCH. */
  const add = (list: Int32Array, count: number, s: number, text: string, i: number): number => {
    let sp = 0;
    stack[sp++] = s;
    while (sp > 0) {
      const t = stack[--sp];
      if (mark[t] === step) continue;
      mark[t] = step;
      switch (prog.op[t]) {
        case JMP:
          stack[sp++] = prog.x[t];
          break;
        case SPLIT:
          stack[sp++] = prog.y[t];
          stack[sp++] = prog.x[t];
          break;
        case ASSERT:
          if (holds(prog.x[t], text, i)) stack[sp++] = t + 1;
          break;
        case MATCH:
          return -1;
        default:
          list[count++] = t;
      }
    }
    return count;
  };
  const start = startOf(prog);
  return {
    test(full: string): boolean {
      const text = full.length > LIMITS.regexInput.value ? full.slice(0, LIMITS.regexInput.value) : full;
      const len = text.length;
      if (step > 0x3fff0000) {
        mark.fill(-1); // the step counter would soon leave the marks' 32-bit range
        step = 0;
      }
      const first = start.first;
      let curN = 0;
      for (let i = 0; ; i++) {
        if (curN === 0) {
          // No match under way: only a new one can start, and only where its first character is.
          if (start.anchored && i > 0) return false;
          if (first) {
            while (i < len) {
              const c = text.charCodeAt(i);
              if (c < 256 ? first[c] === 1 : start.firstHigh) break;
              i++;
            }
            if (i >= len) return false;
          }
          step++;
        }
        // Unanchored search: a new thread starts at every position (the marks of this step keep it single).
        if (!start.anchored || i === 0) {
          curN = add(cur, curN, 0, text, i);
          if (curN < 0) return true;
        }
        if (i >= len || curN === 0) {
          if (i >= len) return false;
          continue;
        }
        const c = text.charCodeAt(i);
        step++;
        let nextN = 0;
        for (let k = 0; k < curN; k++) {
          const t = cur[k];
          if (inSet(prog.sets[t]!, c)) {
            nextN = add(next, nextN, t + 1, text, i + 1);
            if (nextN < 0) return true;
          }
        }
        [cur, next] = [next, cur];
        curN = nextN;
      }
    },
  };
}

/**
 * How a match can start: `anchored` when the pattern begins with ^ (or \A), so only position 0 is
 * tried; `first`, when every match starts by consuming a character, the characters it can start
 * with (below 256; `firstHigh` for the others) — the search skips to them instead of stepping the
 * automaton through every character.
 */
function startOf(prog: Program): { anchored: boolean; first: Uint8Array | null; firstHigh: boolean } {
  const anchored = prog.op[0] === ASSERT && prog.x[0] === A_BEGIN;
  const first = new Uint8Array(256);
  let firstHigh = false;
  const seen = new Uint8Array(prog.op.length);
  const stack = [0];
  while (stack.length) {
    const t = stack.pop()!;
    if (seen[t]) continue;
    seen[t] = 1;
    switch (prog.op[t]) {
      case JMP:
        stack.push(prog.x[t]);
        break;
      case SPLIT:
        stack.push(prog.x[t], prog.y[t]);
        break;
      case ASSERT:
        stack.push(t + 1); // (a test, not a character: the first character is still one of those after it)
        break;
      case MATCH:
        return { anchored, first: null, firstHigh: false }; // may match without a character
      default: {
        const set = prog.sets[t]!;
        for (let c = 0; c < 256; c++) if (inSet(set, c)) first[c] = 1;
        if (set.negated || set.high.length) firstHigh = true;
      }
    }
  }
  return { anchored, first, firstHigh };
}

function holds(a: number, text: string, i: number): boolean {
  const len = text.length;
  switch (a) {
    case A_BEGIN:
      return i === 0;
    case A_END:
      return i === len;
    case A_END_NL:
      return i === len || (i === len - 1 && text.charCodeAt(i) === 10);
    default: {
      const before = i > 0 && isWordChar(text.charCodeAt(i - 1));
      const after = i < len && isWordChar(text.charCodeAt(i));
      return (before !== after) === (a === A_WORD);
    }
  }
}
