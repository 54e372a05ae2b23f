/**
 * Three-way-handshake and teardown timeline layout: the connection model in, arrows with positions
 * out. Vertical position follows time within each phase (d3 scale), so a slow SYN/ACK looks slow;
 * each phase gets its own band so a long conversation does not squash the handshake.
 */
import { scaleLinear } from 'd3';
import { handshakeStepNumbers } from '../../../dissectors/tcp/handshake';
import type { ConnectionModel } from '../../../dissectors/tcp/types';

export interface TimelineArrow {
  key: string;
  label: string;
  detail: string;
  frame: number;
  from: 'client' | 'server';
  y1: number;
  y2: number;
  x1: number;
  x2: number;
  /** TCP options of a handshake step (SYN, SYN/ACK, ACK), for its explanation. */
  options?: { mss: number | null; windowScale: number | null; sackPermitted: boolean; timestamps: boolean };
}

export interface TimelineLayout {
  clientX: number;
  serverX: number;
  height: number;
  arrows: TimelineArrow[];
  notes: Array<{ y: number; text: string }>;
}

const BAND = 190;
/** Closest two arrows may be drawn (their label and detail lines must not collide; the detail sits below the arrow's lower end). */
const MIN_STEP = 46;

function ms(seconds: number): string {
  return `${(seconds * 1000).toFixed(3)} ms`;
}

export function layoutHandshake(m: ConnectionModel, width: number): TimelineLayout {
  const clientX = Math.max(60, Math.round(width * 0.15));
  const serverX = Math.max(clientX + 160, Math.round(width * 0.85));
  const arrows: TimelineArrow[] = [];
  const notes: TimelineLayout['notes'] = [];
  const h = m.handshake;
  const steps = [
    h.syn && { key: 'syn', s: h.syn, from: 'client' as const, label: 'SYN' },
    h.synAck && { key: 'synack', s: h.synAck, from: 'server' as const, label: 'SYN, ACK' },
    h.ack && { key: 'ack', s: h.ack, from: 'client' as const, label: 'ACK' },
  ].filter(Boolean) as Array<{ key: string; s: NonNullable<typeof h.syn>; from: 'client' | 'server'; label: string }>;
  let y = 40;
  if (steps.length) {
    const t0 = steps[0].s.time;
    const t1 = Math.max(steps[steps.length - 1].s.time, t0 + 1e-9);
    const scale = scaleLinear().domain([t0, t1]).range([y, y + BAND - 80]);
    let last = -Infinity;
    for (const st of steps) {
      // Time sets the position, but a very short step still leaves room for its text.
      const yy = Math.max(scale(st.s.time), last + MIN_STEP);
      last = yy;
      const opts = st.s.options;
      // Short: the options are spelled out in plain words in the step's explanation.
      // Relative seq and the window the connection uses, as in the packet list (raw values: the packet's details).
      const n = handshakeStepNumbers(h, st.key === 'synack' ? 'synAck' : (st.key as 'syn' | 'ack'))!;
      const detail = [`seq ${n.relSeq}`, `win ${n.window}`, `+${ms(st.s.sinceSyn)}`].join(' · ');
      arrows.push({ key: st.key, label: st.label, detail, options: opts, frame: st.s.frame, from: st.from, y1: yy, y2: yy + 18, x1: st.from === 'client' ? clientX : serverX, x2: st.from === 'client' ? serverX : clientX });
    }
    y = Math.max(y + BAND, last + 18 + 66);
    if (h.complete) {
      notes.push({ y: y - 40, text: `handshake complete: RTT ${h.rttMs?.toFixed(3)} ms` });
      notes.push({ y: y - 24, text: `SYN→SYN/ACK ${h.synToSynAckMs?.toFixed(3) ?? '?'} ms · SYN/ACK→ACK ${h.synAckToAckMs?.toFixed(3) ?? '?'} ms` });
    } else notes.push({ y: y - 24, text: `handshake ${h.outcome}${h.reset ? ` (RST from the ${h.reset.from})` : ''}` });
  } else {
    notes.push({ y: y + 10, text: 'no handshake in the capture (it started mid-connection)' });
    y += 40;
  }
  const td = m.teardown;
  const tsteps = [
    td.clientFin && { key: 'cfin', t: td.clientFin, label: 'FIN', from: 'client' as const },
    td.serverFin && { key: 'sfin', t: td.serverFin, label: 'FIN', from: 'server' as const },
    td.rst && { key: 'rst', t: td.rst, label: 'RST', from: td.rst.from },
  ].filter(Boolean) as Array<{ key: string; t: { frame: number; time: number; from: 'client' | 'server' }; label: string; from: 'client' | 'server' }>;
  tsteps.sort((a, b) => a.t.time - b.t.time);
  if (tsteps.length) {
    const scale = scaleLinear().domain([tsteps[0].t.time, Math.max(tsteps[tsteps.length - 1].t.time, tsteps[0].t.time + 1e-9)]).range([y + 10, y + BAND - 80]);
    let lastT = -Infinity;
    for (const st of tsteps) {
      const yy = Math.max(scale(st.t.time), lastT + MIN_STEP);
      lastT = yy;
      arrows.push({ key: st.key, label: st.label, detail: `at ${st.t.time.toFixed(6)} s`, frame: st.t.frame, from: st.from, y1: yy, y2: yy + 18, x1: st.from === 'client' ? clientX : serverX, x2: st.from === 'client' ? serverX : clientX });
    }
    y = Math.max(y + BAND - 20, lastT + 18 + 40);
  }
  notes.push({ y: y + 10, text: td.openAtEnd ? 'still open at the end of the capture' : td.close === 'rst' ? 'closed by a reset (RST)' : td.halfClose ? 'one side stopped sending first (half-close)' : 'closed with FIN from both sides' });
  return { clientX, serverX, height: y + 30, arrows, notes };
}
