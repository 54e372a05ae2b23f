/**
 * Display filters. Not implemented in this revision: the empty filter shows every packet, and any
 * other text is answered with an error saying so (the UI shows it under the filter bar).
 */
import type { PacketFieldAccessor } from './accessor';

export interface CompiledFilter {
  matchAll: boolean;
  matches(packet: PacketFieldAccessor): boolean;
  fields: string[];
  protocols: string[];
}

export type CompileResult = { ok: true; filter: CompiledFilter } | { ok: false; error: string; position: number };

export function compileFilter(text: string): CompileResult {
  if (text.trim() === '') return { ok: true, filter: { matchAll: true, matches: () => true, fields: [], protocols: [] } };
  return { ok: false, error: 'display filters are not available in this version yet', position: 0 };
}
