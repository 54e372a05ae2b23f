/**
 * The three-way handshake of one connection, recorded as packets arrive, shaped for the timeline
 * view: steps with times, each side's ISN and options, SYN retransmissions, RTT halves, outcome.
 */
import type { TcpHeader } from '../net/types';
import { TCP_ACK, TCP_RST, TCP_SYN } from '../net/types';
import type { Direction, HandshakeModel, HandshakeOptions, HandshakeStep } from './types';

export function newHandshake(): HandshakeModel {
  return {
    syn: null, synAck: null, ack: null, synRetransmissions: [], synAckRetransmissions: [],
    synToSynAckMs: null, synAckToAckMs: null, rttMs: null, captureSide: 'unknown',
    complete: false, outcome: 'no-syn', reset: null,
  };
}

function optionsOf(tcp: TcpHeader): HandshakeOptions {
  const o = tcp.options;
  return { mss: o.mss ?? null, windowScale: o.windowScale ?? null, sackPermitted: !!o.sackPermitted, timestamps: !!o.timestamp };
}

function step(tcp: TcpHeader, frame: number, time: number, synTime: number | null): HandshakeStep {
  return { frame, time, sinceSyn: synTime === null ? 0 : time - synTime, seq: tcp.seq, window: tcp.window, options: optionsOf(tcp) };
}

/** Updates the handshake with one segment (dir = its sender). */
export function trackHandshake(h: HandshakeModel, tcp: TcpHeader, dir: Direction, frame: number, time: number): void {
  const f = tcp.flags;
  const synTime = h.syn ? h.syn.time : null;
  if (f & TCP_SYN && !(f & TCP_ACK)) {
    if (dir !== 'client') return;
    if (!h.syn) h.syn = step(tcp, frame, time, null);
    else if (!h.synAck) h.synRetransmissions.push(frame);
    return;
  }
  if (f & TCP_SYN && f & TCP_ACK) {
    if (dir !== 'server') return;
    if (!h.synAck) h.synAck = step(tcp, frame, time, synTime);
    else h.synAckRetransmissions.push(frame);
    return;
  }
  if (f & TCP_RST && dir === 'server' && h.syn && !h.synAck && !h.reset) {
    h.reset = { frame, time, from: dir };
    return;
  }
  if (f & TCP_ACK && dir === 'client' && h.synAck && !h.ack && tcp.ack === ((h.synAck.seq + 1) >>> 0) && !(f & TCP_RST)) {
    h.ack = step(tcp, frame, time, synTime);
  }
}

/** Derives RTTs, capture side and outcome once the connection is over (or the capture ends). */
export function finishHandshake(h: HandshakeModel): void {
  if (h.syn && h.synAck) h.synToSynAckMs = (h.synAck.time - h.syn.time) * 1000;
  if (h.synAck && h.ack) h.synAckToAckMs = (h.ack.time - h.synAck.time) * 1000;
  if (h.syn && h.ack) h.rttMs = (h.ack.time - h.syn.time) * 1000;
  h.complete = !!(h.syn && h.synAck && h.ack);
  if (h.complete) h.outcome = 'complete';
  else if (h.reset) h.outcome = 'reset';
  else if (h.syn && !h.synAck) h.outcome = 'no-answer';
  else if (!h.syn && !h.synAck) h.outcome = 'no-syn';
  else h.outcome = 'incomplete';
  h.captureSide = captureSide(h.synToSynAckMs, h.synAckToAckMs);
}

/**
 * Where the capture was taken: near the client the SYN→SYN/ACK half holds the whole network RTT and
 * SYN/ACK→ACK is only the client's turnaround; near the server it is the reverse. Under 0.1 ms
 * total (loopback, same host) there is no network to locate: 'unknown'.
 */
export function captureSide(a: number | null, b: number | null): HandshakeModel['captureSide'] {
  if (a === null || b === null) return 'unknown';
  if (a + b < 0.1) return 'unknown';
  if (a > 4 * b) return 'client';
  if (b > 4 * a) return 'server';
  return 'middle';
}

/**
 * The window shift (RFC 7323 window scale) in effect for segments sent by `dir`, as tshark applies
 * it: once both the SYN and the SYN/ACK carried the window scale option, each side's advertised
 * windows are multiplied by 2^(its own shift, at most 14). Null when the handshake was not captured
 * (the scale is unknown); 0 when a side did not offer scaling (then neither side scales).
 */
export function windowShift(h: HandshakeModel | null | undefined, dir: Direction): number | null {
  if (!h || !h.syn || !h.synAck) return null;
  const c = h.syn.options.windowScale;
  const s = h.synAck.options.windowScale;
  if (c === null || s === null) return 0;
  return Math.min(dir === 'client' ? c : s, 14);
}

/**
 * The receive window a segment advertises, as the connection uses it (tshark's tcp.window_size):
 * the raw 16-bit field shifted by its sender's window scale. SYN segments are never scaled (the
 * option only takes effect after the handshake), and when the handshake was not captured the raw
 * field is all there is.
 */
export function scaledWindow(h: HandshakeModel | null | undefined, dir: Direction, rawWindow: number, flags: number): number {
  if (flags & TCP_SYN) return rawWindow;
  const shift = windowShift(h, dir);
  return shift ? rawWindow * 2 ** shift : rawWindow;
}

/**
 * What the handshake diagram writes on a step, in the packet list's terms: the sequence number
 * relative to its sender's initial one (0 on the SYN and the SYN/ACK, 1 on the ACK; the raw value
 * is `rawSeq`, shown in the packet's details) and the window as the connection uses it (the ACK's
 * is scaled when both sides offered window scaling).
 */
export function handshakeStepNumbers(h: HandshakeModel, step: 'syn' | 'synAck' | 'ack'): { relSeq: number; rawSeq: number; window: number } | null {
  const s = h[step];
  if (!s) return null;
  if (step !== 'ack') return { relSeq: 0, rawSeq: s.seq >>> 0, window: s.window };
  const relSeq = h.syn ? (s.seq - h.syn.seq) >>> 0 : s.seq >>> 0;
  return { relSeq, rawSeq: s.seq >>> 0, window: scaledWindow(h, 'client', s.window, TCP_ACK) };
}
