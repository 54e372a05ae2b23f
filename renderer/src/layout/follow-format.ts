/**
 * Follow-stream formatting (data in, text out): the conversation as turns in three modes — text
 * (Latin-1, control characters made visible), hex dump (offset, 16 bytes in hex, ASCII) and raw
 * (continuous hex, like tshark's follow,tcp,raw) — with gaps marked, and a plain-text export.
 */
import type { FollowResult } from '../../../api/engine-api';
import { hexDump, latin1 } from '../../../dissectors/model/bytes-text';
import { fromBase64, visible } from '../text/visible';

export type FollowMode = 'text' | 'hex' | 'raw';

export interface FollowTurn {
  dir: 'client' | 'server';
  text: string;
  gap: boolean;
}

const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** Turns of the conversation in `mode`, at most `maxChars` characters in all (the rest is cut). */
export function followTurns(res: FollowResult, mode: FollowMode, maxChars = 256 * 1024): { turns: FollowTurn[]; cut: boolean } {
  const turns: FollowTurn[] = [];
  let shown = 0;
  let cut = res.truncated;
  for (const seg of res.segments) {
    if (shown > maxChars) {
      cut = true;
      break;
    }
    let text: string;
    if (seg.gap !== undefined) text = `[${seg.gap} bytes missing in capture]\n`;
    else {
      const bytes = fromBase64(seg.bytesBase64 ?? '');
      text = mode === 'hex' ? hexDump(bytes, seg.offset) + '\n' : mode === 'raw' ? toHex(bytes) + '\n' : visible(latin1(bytes));
    }
    shown += text.length;
    const last = turns[turns.length - 1];
    // Hex and raw keep one block per segment (offsets restart); text joins a side's consecutive data.
    if (mode === 'text' && last && last.dir === seg.dir && !last.gap && seg.gap === undefined) last.text += text;
    else turns.push({ dir: seg.dir, text, gap: seg.gap !== undefined });
  }
  return { turns, cut };
}

/** The conversation as one plain-text document (Save as text): a header, then each turn marked C>/S<. */
export function followText(res: FollowResult, mode: FollowMode): string {
  const { turns, cut } = followTurns(res, mode, Number.MAX_SAFE_INTEGER);
  const head = `Follow TCP stream: client ${res.client} ⇄ server ${res.server} (${mode}; C> client, S< server)${cut ? ' — cut: only the start of the stream' : ''}\n\n`;
  return head + turns.map((t) => `${t.dir === 'client' ? 'C>' : 'S<'} ${t.text.replace(/\n(?!$)/g, '\n   ')}${t.text.endsWith('\n') ? '' : '\n'}`).join('');
}
