/**
 * Display-filter syntax (the common part of Wireshark's): fields and protocol names, comparisons
 * (== eq, != ne, > gt, < lt, >= ge, <= le, contains, matches ~, in {…}), logic (&& and, || or,
 * ! not, parentheses), values as numbers, "strings", IPv4 addresses with /prefix, and bare words.
 * Text in, a syntax tree or a positioned error out; input is bounded (MAX_FILTER) so parsing is cheap.
 */

export const MAX_FILTER = 4096;

export type Value =
  | { kind: 'number'; value: number; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'cidr'; addr: number; bits: number; text: string }
  | { kind: 'word'; value: string };

export type Node =
  | { type: 'and' | 'or'; left: Node; right: Node }
  | { type: 'not'; expr: Node }
  | { type: 'exists'; field: string; pos: number }
  | { type: 'cmp'; field: string; op: CmpOp; value: Value; pos: number }
  | { type: 'in'; field: string; values: Array<Value | { kind: 'range'; from: number; to: number }>; pos: number };

export type CmpOp = '==' | '!=' | '>' | '<' | '>=' | '<=' | 'contains' | 'matches';

export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

interface Token {
  t: 'word' | 'string' | 'op' | '(' | ')' | '{' | '}' | 'end';
  v: string;
  pos: number;
}

const OPS = ['==', '!=', '>=', '<=', '&&', '||', '>', '<', '!', '~'];
const WORD_OPS: Record<string, string> = { eq: '==', ne: '!=', gt: '>', lt: '<', ge: '>=', le: '<=', and: '&&', or: '||', not: '!', contains: 'contains', matches: 'matches', in: 'in' };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c) || c === ',') {
      // Set members may be separated by spaces or commas ({80 443} or {80, 443}).
      i++;
      continue;
    }
    if ('(){}'.includes(c)) {
      out.push({ t: c as Token['t'], v: c, pos: i });
      i++;
      continue;
    }
    if (c === '"') {
      let s = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length) {
          const n = text[++j];
          s += n === 'n' ? '\n' : n === 'r' ? '\r' : n === 't' ? '\t' : n;
        } else s += text[j];
      }
      if (j >= text.length) throw new FilterSyntaxError('this string has no closing quote', i);
      out.push({ t: 'string', v: s, pos: i });
      i = j + 1;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op) {
      out.push({ t: 'op', v: op === '~' ? 'matches' : op, pos: i });
      i += op.length;
      continue;
    }
    const m = /^[A-Za-z0-9_.:/\-[\]]+/.exec(text.slice(i));
    if (!m) throw new FilterSyntaxError(`unexpected character '${c}'`, i);
    const w = m[0];
    const lower = w.toLowerCase();
    // ".." inside a set: "1..5" is a range; split it into three tokens.
    const range = /^(\d+)\.\.(\d+)$/.exec(w);
    if (range) {
      out.push({ t: 'word', v: range[1], pos: i }, { t: 'op', v: '..', pos: i + range[1].length }, { t: 'word', v: range[2], pos: i + range[1].length + 2 });
    } else if (WORD_OPS[lower]) out.push({ t: 'op', v: WORD_OPS[lower], pos: i });
    else out.push({ t: 'word', v: w, pos: i });
    i += w.length;
  }
  out.push({ t: 'end', v: '', pos: text.length });
  return out;
}

function parseValue(tok: Token): Value {
  if (tok.t === 'string') return { kind: 'string', value: tok.v };
  if (tok.t !== 'word') throw new FilterSyntaxError(`expected a value, found '${tok.v || 'the end'}'`, tok.pos);
  const w = tok.v;
  const cidr = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(w);
  if (cidr) {
    const parts = cidr.slice(1, 5).map(Number);
    const bits = cidr[5] === undefined ? 32 : Number(cidr[5]);
    if (parts.every((p) => p <= 255) && bits <= 32) return { kind: 'cidr', addr: ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0, bits, text: w };
  }
  if (/^(0x[0-9a-f]+|\d+(\.\d+)?)$/i.test(w)) return { kind: 'number', value: Number(w), text: w };
  return { kind: 'word', value: w };
}

const FIELD_RE = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;

export function parseFilter(text: string): Node {
  if (text.length > MAX_FILTER) throw new FilterSyntaxError(`a filter may be at most ${MAX_FILTER} characters`, MAX_FILTER);
  const toks = tokenize(text);
  let k = 0;
  const peek = () => toks[k];
  const take = () => toks[k++];
  const isOp = (v: string) => peek().t === 'op' && peek().v === v;
  let depth = 0;

  function or(): Node {
    let left = and();
    while (isOp('||')) {
      take();
      left = { type: 'or', left, right: and() };
    }
    return left;
  }
  function and(): Node {
    let left = not();
    while (isOp('&&')) {
      take();
      left = { type: 'and', left, right: not() };
    }
    return left;
  }
  function not(): Node {
    if (isOp('!')) {
      take();
      return { type: 'not', expr: not() };
    }
    return primary();
  }
  function primary(): Node {
    const tok = take();
    if (tok.t === '(') {
      if (++depth > 100) throw new FilterSyntaxError('too many nested parentheses', tok.pos);
      const e = or();
      const close = take();
      if (close.t !== ')') throw new FilterSyntaxError(`expected ')', found '${close.v || 'the end'}'`, close.pos);
      depth--;
      return e;
    }
    if (tok.t !== 'word' || !FIELD_RE.test(tok.v)) throw new FilterSyntaxError(`expected a field or protocol name, found '${tok.v || 'the end'}'`, tok.pos);
    const field = tok.v.toLowerCase();
    const opTok = peek();
    if (opTok.t === 'op' && ['==', '!=', '>', '<', '>=', '<=', 'contains', 'matches'].includes(opTok.v)) {
      take();
      return { type: 'cmp', field, op: opTok.v as CmpOp, value: parseValue(take()), pos: tok.pos };
    }
    if (opTok.t === 'op' && opTok.v === 'in') {
      take();
      const open = take();
      if (open.t !== '{') throw new FilterSyntaxError("expected '{' after 'in'", open.pos);
      const values: Extract<Node, { type: 'in' }>['values'] = [];
      while (peek().t !== '}') {
        if (peek().t === 'end') throw new FilterSyntaxError("this set has no closing '}'", open.pos);
        const v = parseValue(take());
        if (isOp('..')) {
          take();
          const to = parseValue(take());
          if (v.kind !== 'number' || to.kind !== 'number') throw new FilterSyntaxError('a range needs two numbers', open.pos);
          values.push({ kind: 'range', from: v.value, to: to.value });
        } else values.push(v);
        if (values.length > 1000) throw new FilterSyntaxError('a set may hold at most 1000 values', open.pos);
      }
      take();
      return { type: 'in', field, values, pos: tok.pos };
    }
    return { type: 'exists', field, pos: tok.pos };
  }

  const tree = or();
  if (peek().t !== 'end') throw new FilterSyntaxError(`unexpected '${peek().v}'`, peek().pos);
  return tree;
}
