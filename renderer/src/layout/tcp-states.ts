/**
 * Each endpoint's TCP state (RFC 9293, section 3.3.2) read from a connection's packets: the
 * handshake, each FIN and the ACK that shows it arrived, and RST. A side changes state when its own
 * packet shows it (it sent SYN, FIN, RST) or when its answer shows it received the other side's (its
 * ACK of a FIN): what the capture point saw, not the hosts' memory. A capture that starts after the
 * handshake leaves the state "unknown" until a FIN or RST shows it. Data in, states out: no drawing.
 */
import type { ConnectionModel, Direction } from '../../../dissectors/tcp/types';
import type { LessonStep } from './lesson-steps';

export type TcpState =
  | 'CLOSED'
  | 'LISTEN'
  | 'SYN-SENT'
  | 'SYN-RECEIVED'
  | 'ESTABLISHED'
  | 'FIN-WAIT-1'
  | 'FIN-WAIT-2'
  | 'CLOSE-WAIT'
  | 'CLOSING'
  | 'LAST-ACK'
  | 'TIME-WAIT'
  | 'unknown';

/** The states of RFC 9293's diagram (without "unknown"). */
export const TCP_STATES: readonly Exclude<TcpState, 'unknown'>[] = [
  'CLOSED',
  'LISTEN',
  'SYN-SENT',
  'SYN-RECEIVED',
  'ESTABLISHED',
  'FIN-WAIT-1',
  'FIN-WAIT-2',
  'CLOSE-WAIT',
  'CLOSING',
  'LAST-ACK',
  'TIME-WAIT',
];

/** What a side in each state can do, in one plain sentence. */
export const STATE_MEANING: Record<TcpState, string> = {
  CLOSED: 'no connection',
  LISTEN: 'waiting for a client to connect',
  'SYN-SENT': 'asked to connect, waiting for the answer',
  'SYN-RECEIVED': 'agreed to connect, waiting for the last ACK',
  ESTABLISHED: 'open: data can flow both ways',
  'FIN-WAIT-1': 'sent FIN (no more data from this side), waiting for it to be acknowledged',
  'FIN-WAIT-2': 'its FIN was acknowledged; it can still receive until the other side sends FIN',
  'CLOSE-WAIT': 'the other side finished sending; this side may still send, then must close',
  CLOSING: 'both sides sent FIN at about the same time; waiting for its FIN to be acknowledged',
  'LAST-ACK': 'sent its own FIN last, waiting for the final ACK',
  'TIME-WAIT': 'closed both ways; waits twice the maximum segment lifetime so late packets die out',
  unknown: 'the capture starts after the handshake: the packets do not show this state',
};

export interface TcpTransition {
  frame: number;
  side: Direction;
  from: TcpState;
  to: TcpState;
  /** One plain sentence: what happened and what it means for this side. */
  sentence: string;
}

export interface TcpStatesNow {
  client: TcpState;
  server: TcpState;
  /** The changes in the span asked for, in order. */
  changes: TcpTransition[];
}

const WHO: Record<Direction, string> = { client: 'the client', server: 'the server' };
const other = (d: Direction): Direction => (d === 'client' ? 'server' : 'client');
const cap = (s: string) => s[0].toUpperCase() + s.slice(1);

type Event =
  | { kind: 'syn' | 'synack' | 'ack'; frame: number }
  | { kind: 'fin'; frame: number; from: Direction }
  | { kind: 'fin-acked'; frame: number; from: Direction }
  | { kind: 'rst'; frame: number; from: Direction };

/** Order inside one frame: the handshake, then the ACK a segment carries, then its FIN, then RST (as the tracker reads them). */
const ORDER: Record<Event['kind'], number> = { syn: 0, synack: 1, ack: 2, 'fin-acked': 3, fin: 4, rst: 5 };

/** The states each side starts in: before a SYN the client is CLOSED and the server LISTENs (or nothing listens). */
export function initialStates(model: ConnectionModel): { client: TcpState; server: TcpState } {
  const h = model.handshake;
  if (!h.syn) return { client: 'unknown', server: 'unknown' };
  const refused = h.outcome === 'reset' && h.reset?.from === 'server';
  return { client: 'CLOSED', server: refused ? 'CLOSED' : 'LISTEN' };
}

/** Every state change of both sides, in frame order. */
export function tcpTransitions(model: ConnectionModel): TcpTransition[] {
  const h = model.handshake;
  const t = model.teardown;
  const events: Event[] = [];
  if (h.syn) events.push({ kind: 'syn', frame: h.syn.frame });
  if (h.synAck) events.push({ kind: 'synack', frame: h.synAck.frame });
  if (h.ack) events.push({ kind: 'ack', frame: h.ack.frame });
  if (t.clientFin) events.push({ kind: 'fin', frame: t.clientFin.frame, from: 'client' });
  if (t.serverFin) events.push({ kind: 'fin', frame: t.serverFin.frame, from: 'server' });
  // clientFinAcked is the server's ACK of the client's FIN.
  if (t.clientFinAcked) events.push({ kind: 'fin-acked', frame: t.clientFinAcked.frame, from: 'server' });
  if (t.serverFinAcked) events.push({ kind: 'fin-acked', frame: t.serverFinAcked.frame, from: 'client' });
  if (t.rst) events.push({ kind: 'rst', frame: t.rst.frame, from: t.rst.from });
  events.sort((a, b) => a.frame - b.frame || ORDER[a.kind] - ORDER[b.kind]);

  const state = initialStates(model);
  const out: TcpTransition[] = [];
  const move = (side: Direction, to: TcpState, frame: number, sentence: string) => {
    if (state[side] === to) return;
    out.push({ frame, side, from: state[side], to, sentence });
    state[side] = to;
  };
  for (const e of events) {
    if (e.kind === 'syn') {
      move(
        'client',
        'SYN-SENT',
        e.frame,
        'The client sent SYN: it asks to open a connection and waits for the answer.',
      );
    } else if (e.kind === 'synack') {
      move(
        'server',
        'SYN-RECEIVED',
        e.frame,
        'The server received the SYN and answered SYN/ACK: it agrees and waits for the client’s ACK.',
      );
    } else if (e.kind === 'ack') {
      move(
        'client',
        'ESTABLISHED',
        e.frame,
        'The client received the SYN/ACK and acknowledged it: for the client the connection is open.',
      );
      move(
        'server',
        'ESTABLISHED',
        e.frame,
        'The server received the client’s ACK: for the server the connection is open too.',
      );
    } else if (e.kind === 'fin') {
      const me = e.from;
      const who = WHO[me];
      if (state[me] === 'CLOSE-WAIT')
        move(
          me,
          'LAST-ACK',
          e.frame,
          `${cap(who)} sent its own FIN after ${WHO[other(me)]}’s: it has nothing more to send and waits for the last ACK.`,
        );
      else if (
        state[me] !== 'CLOSED' &&
        state[me] !== 'TIME-WAIT' &&
        state[me] !== 'LAST-ACK' &&
        state[me] !== 'CLOSING' &&
        state[me] !== 'FIN-WAIT-1' &&
        state[me] !== 'FIN-WAIT-2'
      )
        move(
          me,
          'FIN-WAIT-1',
          e.frame,
          `${cap(who)} sent FIN: it will send no more data, but can still receive.`,
        );
    } else if (e.kind === 'fin-acked') {
      // `from` acknowledged the other side's FIN: it received that FIN, and the FIN's sender gets its ACK.
      const receiver = e.from;
      const closer = other(receiver);
      const r = WHO[receiver];
      const c = WHO[closer];
      const rs = state[receiver];
      if (rs === 'FIN-WAIT-1')
        move(
          receiver,
          'CLOSING',
          e.frame,
          `${cap(r)} received ${c}’s FIN before its own FIN was acknowledged: both sides are closing at once (a simultaneous close).`,
        );
      else if (rs === 'FIN-WAIT-2')
        move(
          receiver,
          'TIME-WAIT',
          e.frame,
          `${cap(r)} received ${c}’s FIN and acknowledged it: both directions are closed; it waits a while so late packets die out.`,
        );
      else if (rs === 'ESTABLISHED' || rs === 'unknown' || rs === 'SYN-RECEIVED')
        move(
          receiver,
          'CLOSE-WAIT',
          e.frame,
          `${cap(r)} received ${c}’s FIN and acknowledged it: ${c} sends no more data, ${r} may still send before it closes too.`,
        );
      const cs = state[closer];
      if (cs === 'FIN-WAIT-1')
        move(
          closer,
          'FIN-WAIT-2',
          e.frame,
          `${cap(c)}’s FIN was acknowledged: it now only waits for ${r}’s FIN (it can still receive data).`,
        );
      else if (cs === 'CLOSING')
        move(
          closer,
          'TIME-WAIT',
          e.frame,
          `${cap(c)}’s FIN was acknowledged after both sides sent FIN: it waits a while so late packets die out.`,
        );
      else if (cs === 'LAST-ACK')
        move(closer, 'CLOSED', e.frame, `${cap(c)}’s FIN was acknowledged: the connection is over for ${c}.`);
    } else if (e.kind === 'rst') {
      const me = e.from;
      const you = other(me);
      if (h.outcome === 'reset' && h.reset?.frame === e.frame && me === 'server') {
        move(
          'client',
          'CLOSED',
          e.frame,
          'The server answered the SYN with RST: nothing listens on that port, so the client gives up.',
        );
      } else {
        move(
          me,
          'CLOSED',
          e.frame,
          `${cap(WHO[me])} sent RST: it aborts the connection at once, without waiting for anything.`,
        );
        move(you, 'CLOSED', e.frame, `${cap(WHO[you])} received the RST: the connection is gone for it too.`);
      }
    }
  }
  return out;
}

/** Both sides' states after every change up to frame `upTo` (inclusive), and the changes after frame `after`. */
export function tcpStatesAt(
  model: ConnectionModel,
  transitions: readonly TcpTransition[],
  upTo: number,
  after = -Infinity,
): TcpStatesNow {
  const now = initialStates(model);
  const changes: TcpTransition[] = [];
  for (const t of transitions) {
    if (t.frame > upTo) break;
    now[t.side] = t.to;
    if (t.frame > after) changes.push(t);
  }
  return { ...now, changes };
}

/**
 * The frames a lesson step stands for: from just after the previous step's span to just before the
 * next step (the last step reaches the end of the capture), so an ACK between two steps is counted
 * and none twice. No step: before the first packet.
 */
export function stepSpan(steps: readonly LessonStep[], i: number | null): { after: number; upTo: number } {
  if (i === null || i < 0 || !steps.length) return { after: -Infinity, upTo: -1 };
  const end = (k: number) =>
    k >= steps.length - 1 ? Infinity : Math.max(steps[k].frame, steps[k + 1].frame - 1);
  return { after: i === 0 ? -Infinity : end(i - 1), upTo: end(i) };
}
