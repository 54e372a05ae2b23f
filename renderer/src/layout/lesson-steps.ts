/**
 * The steps of a lesson: one connection's handshake (SYN, SYN/ACK, ACK), its ladder events and its
 * teardown (FIN, FIN, RST), in frame order, each with the frame it points at and what part of that
 * frame's bytes it is about. Data in, steps out: no drawing.
 */
import type { LadderEvent } from '../../../dissectors/app/types';
import type { ConnectionModel } from '../../../dissectors/tcp/types';

export type HandshakeKey = 'syn' | 'synack' | 'ack' | 'cfin' | 'sfin' | 'rst';

export type LessonStep =
  | { type: 'ladder'; index: number; frame: number; from: 'client' | 'server' }
  | { type: 'tcp'; key: HandshakeKey; frame: number; from: 'client' | 'server' };

export function lessonSteps(model: ConnectionModel, ladder: readonly LadderEvent[]): LessonStep[] {
  const tcp: LessonStep[] = [];
  const h = model.handshake;
  if (h.syn) tcp.push({ type: 'tcp', key: 'syn', frame: h.syn.frame, from: 'client' });
  if (h.synAck) tcp.push({ type: 'tcp', key: 'synack', frame: h.synAck.frame, from: 'server' });
  if (h.ack) tcp.push({ type: 'tcp', key: 'ack', frame: h.ack.frame, from: 'client' });
  const t = model.teardown;
  if (t.clientFin) tcp.push({ type: 'tcp', key: 'cfin', frame: t.clientFin.frame, from: 'client' });
  if (t.serverFin) tcp.push({ type: 'tcp', key: 'sfin', frame: t.serverFin.frame, from: 'server' });
  if (t.rst) tcp.push({ type: 'tcp', key: 'rst', frame: t.rst.frame, from: t.rst.from });
  const steps: LessonStep[] = ladder.map((e, index) => ({
    type: 'ladder',
    index,
    frame: e.frame,
    from: e.from,
  }));
  // Merge by frame, keeping the ladder's own order (a frame may carry several events) and putting a
  // TCP step before the ladder events of a later frame only.
  tcp.sort((a, b) => a.frame - b.frame);
  const out: LessonStep[] = [];
  let k = 0;
  for (const s of steps) {
    while (k < tcp.length && tcp[k].frame < s.frame) out.push(tcp[k++]);
    out.push(s);
  }
  while (k < tcp.length) out.push(tcp[k++]);
  return out;
}

/** The step a frame belongs to: the ladder event carrying it, a TCP step on it, else the last step before it. */
export function stepOfFrame(
  steps: readonly LessonStep[],
  ladder: readonly LadderEvent[],
  frame: number,
): number {
  let before = -1;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    if (s.type === 'tcp' ? s.frame === frame : ladder[s.index].frames.includes(frame)) return i;
    if (s.frame <= frame) before = i;
  }
  return before;
}

/** The step of a ladder event / of a handshake mark. */
export function stepOfLadder(steps: readonly LessonStep[], index: number): number {
  return steps.findIndex((s) => s.type === 'ladder' && s.index === index);
}
export function stepOfTcp(steps: readonly LessonStep[], key: HandshakeKey): number {
  return steps.findIndex((s) => s.type === 'tcp' && s.key === key);
}

/**
 * Which bytes of a frame a step is about: a TCP step its TCP header, a ladder step the TCP payload
 * (the application's bytes). `layers` are the packet's decoded layers (offset, length), `capLen` its
 * captured length. Null when the frame has no TCP layer.
 */
export function stepBytes(
  step: LessonStep,
  layers: ReadonlyArray<{ name: string; offset: number; length: number }>,
  capLen: number,
): [number, number] | null {
  const tcp = layers.find((l) => l.name.startsWith('Transmission Control Protocol'));
  if (!tcp) return null;
  if (step.type === 'tcp') return [tcp.offset, tcp.length];
  const start = tcp.offset + tcp.length;
  // Any layer after TCP is the application's: its bytes are the payload too.
  return capLen > start ? [start, capLen - start] : [tcp.offset, tcp.length];
}

/** The connection a lesson starts on: the first one with an application protocol, else the first. */
export function lessonConnection(
  rows: ReadonlyArray<{ id: number; protocol: string; firstFrame: number }>,
): number | null {
  if (!rows.length) return null;
  const app = rows.filter((r) => r.protocol !== 'unknown');
  const pick = (app.length ? app : rows).reduce((a, b) => (b.firstFrame < a.firstFrame ? b : a));
  return pick.id;
}
