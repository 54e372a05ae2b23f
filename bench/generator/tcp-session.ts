/**
 * Turns a conversation into the TCP packets that carry it: handshake, MSS-sized segments with ACKs,
 * occasional retransmissions and out-of-order pairs, and a FIN or RST teardown.
 */
import type { Conversation } from './app-scripts';
import type { Prng } from './prng';

export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;

export interface WirePacket {
  fromClient: boolean;
  flags: number;
  seq: number;
  ack: number;
  payload: Uint8Array;
  /** Index into the conversation's data connection trigger (FTP PASV), when this packet carries it. */
  opensData?: boolean;
}

export interface SessionShape {
  mss: number;
  retransmit: number;
  outOfOrder: number;
  reset: number;
  /** Share of sessions whose ISN sits just below 2^32 so sequence numbers wrap. */
  wrap: number;
}

const EMPTY: Uint8Array = new Uint8Array(0);

export function packetize(conv: Conversation, rng: Prng, shape: SessionShape): WirePacket[] {
  const out: WirePacket[] = [];
  let cSeq = rng.chance(shape.wrap) ? 0xffffffff - rng.int(0, 20000) : rng.int(0, 0xffffffff);
  let sSeq = rng.int(0, 0xffffffff);
  const add = (fromClient: boolean, flags: number, payload: Uint8Array = EMPTY, opensData = false): void => {
    const seq = fromClient ? cSeq : sSeq;
    const ack = flags & ACK ? (fromClient ? sSeq : cSeq) : 0;
    out.push({ fromClient, flags, seq: seq >>> 0, ack: ack >>> 0, payload, opensData });
    const consumed = payload.length + (flags & (SYN | FIN) ? 1 : 0);
    if (fromClient) cSeq = (cSeq + consumed) >>> 0;
    else sSeq = (sSeq + consumed) >>> 0;
  };
  add(true, SYN);
  add(false, SYN | ACK);
  add(true, ACK);
  conv.turns.forEach((turn, index) => {
    const fromClient = turn.from === 'c';
    const first = out.length;
    let segments = 0;
    for (let off = 0; off < turn.data.length; off += shape.mss) {
      const last = off + shape.mss >= turn.data.length;
      const opens = last && conv.dataConnection?.afterTurn === index;
      add(fromClient, ACK | (last ? PSH : 0), turn.data.subarray(off, off + shape.mss), opens);
      if (++segments % 2 === 0 || last) add(!fromClient, ACK);
    }
    disturb(out, first, rng, shape);
  });
  if (rng.chance(shape.reset)) {
    add(true, RST | ACK);
    return out;
  }
  add(true, FIN | ACK);
  add(false, FIN | ACK);
  add(true, ACK);
  return out;
}

/** Adds retransmissions and out-of-order pairs among the data segments of one turn. */
function disturb(out: WirePacket[], first: number, rng: Prng, shape: SessionShape): void {
  for (let i = out.length - 1; i >= first; i--) {
    const p = out[i];
    if (p.payload.length === 0) continue;
    if (rng.chance(shape.retransmit)) {
      out.splice(Math.min(i + 2, out.length), 0, { ...p, opensData: false });
    } else if (rng.chance(shape.outOfOrder)) {
      const j = nextData(out, i + 1, p.fromClient);
      if (j > 0) [out[i], out[j]] = [out[j], out[i]];
    }
  }
}

function nextData(out: WirePacket[], from: number, fromClient: boolean): number {
  for (let j = from; j < out.length && j < from + 4; j++)
    if (out[j].fromClient === fromClient && out[j].payload.length > 0) return j;
  return -1;
}

/** The bytes each side sends, in order (what reassembly must reproduce). */
export function directionBytes(conv: Conversation, side: 'c' | 's'): Uint8Array[] {
  return conv.turns.filter((t) => t.from === side).map((t) => t.data);
}
