/**
 * Display filters: text → a predicate over one packet's fields (through a PacketFieldAccessor, so the
 * engine can answer from its index and decode bytes only when a filter needs them). Semantics follow
 * Wireshark 4.0: `==` is true when any value of the field equals, `!=` when all values differ,
 * `contains` searches bytes or text, `matches` is a case-insensitive regular expression (run by
 * regex.ts in time linear in the text: no pattern can freeze the engine).
 */
import { latin1, latin1Bytes } from '../model/bytes-text';
import type { PacketFieldAccessor } from './accessor';
import { FILTER_PROTOCOLS, isKnownField, unknownFieldMessage } from './fields';
import { FilterSyntaxError, parseFilter, type Node, type Value } from './parse';
import { compileRegex, RegexError, type SafeRegex } from './regex';
import { LIMITS } from '../limits';

export interface CompiledFilter {
  matchAll: boolean;
  matches(packet: PacketFieldAccessor): boolean;
  fields: string[];
  protocols: string[];
}

export type CompileResult =
  { ok: true; filter: CompiledFilter } | { ok: false; error: string; position: number };

type FieldValue = number | string | Uint8Array;
type Pred = (p: PacketFieldAccessor) => boolean;

/** Bytes compared as text (`matches`, `==` on a byte field) are read up to this much (LIMITS.regexInput). */
const MAX_MATCH_INPUT = LIMITS.regexInput.value;

function ipv4ToInt(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  return ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
}

function asText(v: FieldValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return latin1(v, MAX_MATCH_INPUT);
}

function equals(v: FieldValue, want: Value): boolean {
  switch (want.kind) {
    case 'number':
      return typeof v === 'number'
        ? v === want.value
        : typeof v === 'string' && v.trim() !== '' && Number(v) === want.value;
    case 'cidr': {
      if (typeof v !== 'string') return false;
      const ip = ipv4ToInt(v);
      if (ip === null) return false;
      const mask = want.bits === 0 ? 0 : (0xffffffff << (32 - want.bits)) >>> 0;
      return (ip & mask) >>> 0 === (want.addr & mask) >>> 0;
    }
    case 'string':
    case 'word':
      return asText(v) === want.value;
  }
}

function order(v: FieldValue, want: Value): number | null {
  const a = typeof v === 'number' ? v : Number(v);
  const b = want.kind === 'number' ? want.value : want.kind === 'cidr' ? want.addr : Number(want.value);
  if (typeof v === 'string' && want.kind === 'cidr') {
    const ip = ipv4ToInt(v);
    return ip === null ? null : ip - want.addr;
  }
  return Number.isFinite(a) && Number.isFinite(b) ? a - b : null;
}

function containsBytes(hay: Uint8Array, needle: Uint8Array): boolean {
  if (needle.length === 0) return true;
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Whether any value passes: a plain loop with the test made once per filter (this runs per packet). */
function any(values: ReadonlyArray<FieldValue>, test: (v: FieldValue) => boolean): boolean {
  for (let k = 0; k < values.length; k++) if (test(values[k])) return true;
  return false;
}

function build(n: Node, fields: Set<string>, protocols: Set<string>): Pred {
  switch (n.type) {
    case 'and': {
      const l = build(n.left, fields, protocols);
      const r = build(n.right, fields, protocols);
      return (p) => l(p) && r(p);
    }
    case 'or': {
      const l = build(n.left, fields, protocols);
      const r = build(n.right, fields, protocols);
      return (p) => l(p) || r(p);
    }
    case 'not': {
      const e = build(n.expr, fields, protocols);
      return (p) => !e(p);
    }
  }
  if (!isKnownField(n.field))
    throw new FilterSyntaxError(unknownFieldMessage(n.field), n.pos);
  const field = n.field;
  if (n.type === 'exists') {
    if (FILTER_PROTOCOLS.has(field)) {
      protocols.add(field);
      return (p) => p.hasProtocol(field);
    }
    fields.add(field);
    return (p) => p.values(field).length > 0;
  }
  fields.add(field);
  if (n.type === 'in') {
    const set = n.values;
    const inSet = (v: FieldValue) =>
      set.some((s) =>
        s.kind === 'range' ? typeof v === 'number' && v >= s.from && v <= s.to : equals(v, s),
      );
    return (p) => any(p.values(field), inSet);
  }
  const want = n.value;
  switch (n.op) {
    case '==': {
      const eq = (v: FieldValue) => equals(v, want);
      return (p) => any(p.values(field), eq);
    }
    case '!=':
      const eq = (v: FieldValue) => equals(v, want);
      return (p) => {
        const vs = p.values(field);
        return vs.length > 0 && !any(vs, eq);
      };
    case '>':
    case '<':
    case '>=':
    case '<=': {
      const op = n.op;
      const test = (d: number) => (op === '>' ? d > 0 : op === '<' ? d < 0 : op === '>=' ? d >= 0 : d <= 0);
      const holds = (v: FieldValue) => {
        const d = order(v, want);
        return d !== null && test(d);
      };
      return (p) => any(p.values(field), holds);
    }
    case 'contains': {
      // An unquoted byte string (04:01, 04.01 or 04-01) stands for those bytes, as in Wireshark.
      const hex =
        want.kind === 'word' && /^[0-9a-f]{2}(?:[:.-][0-9a-f]{2})+$/i.test(want.value)
          ? want.value.split(/[:.-]/).map((h) => parseInt(h, 16))
          : null;
      const text = hex
        ? String.fromCharCode(...hex)
        : want.kind === 'number'
          ? want.text
          : want.kind === 'cidr'
            ? want.text
            : want.value;
      const bytes = latin1Bytes(text);
      const has = (v: FieldValue) =>
        v instanceof Uint8Array ? containsBytes(v, bytes) : asText(v).includes(text);
      return (p) => any(p.values(field), has);
    }
    case 'matches': {
      const src = want.kind === 'string' || want.kind === 'word' ? want.value : want.text;
      let re: SafeRegex;
      try {
        re = compileRegex(src);
      } catch (e) {
        if (!(e instanceof RegexError)) throw e;
        throw new FilterSyntaxError(`not a valid regular expression here: ${e.message}`, n.pos);
      }
      const hit = (v: FieldValue) => re.test(asText(v));
      return (p) => any(p.values(field), hit);
    }
  }
}

export function compileFilter(text: string): CompileResult {
  if (text.trim() === '')
    return { ok: true, filter: { matchAll: true, matches: () => true, fields: [], protocols: [] } };
  try {
    const tree = parseFilter(text);
    const fields = new Set<string>();
    const protocols = new Set<string>();
    const pred = build(tree, fields, protocols);
    return {
      ok: true,
      filter: { matchAll: false, matches: pred, fields: [...fields], protocols: [...protocols] },
    };
  } catch (e) {
    if (e instanceof FilterSyntaxError) return { ok: false, error: e.message, position: e.position };
    throw e;
  }
}
