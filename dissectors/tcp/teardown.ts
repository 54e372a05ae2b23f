/** How a connection ended: FIN from each side and its ACK, half-close, RST, or still open. */
import type { TcpHeader } from '../net/types';
import { TCP_ACK, TCP_FIN, TCP_RST } from '../net/types';
import type { Direction, TeardownModel } from './types';

export function newTeardown(): TeardownModel {
  return {
    close: 'none',
    clientFin: null,
    serverFin: null,
    clientFinAcked: null,
    serverFinAcked: null,
    rst: null,
    halfClose: false,
    openAtEnd: true,
  };
}

/** clientFinSeq/serverFinSeq: absolute sequence number of each side's FIN (set by the caller, -1 before), for matching its ACK. */
export function trackTeardown(
  t: TeardownModel,
  tcp: TcpHeader,
  dir: Direction,
  frame: number,
  time: number,
  clientFinSeq: number,
  serverFinSeq: number,
  payload: number,
): void {
  const f = tcp.flags;
  const peerFin = dir === 'client' ? t.serverFin : t.clientFin;
  if (peerFin && payload > 0) t.halfClose = true;
  if (f & TCP_ACK) {
    if (
      dir === 'client' &&
      t.serverFin &&
      !t.serverFinAcked &&
      serverFinSeq >= 0 &&
      ((tcp.ack - serverFinSeq - 1) | 0) >= 0
    )
      t.serverFinAcked = { frame, time, from: dir };
    if (
      dir === 'server' &&
      t.clientFin &&
      !t.clientFinAcked &&
      clientFinSeq >= 0 &&
      ((tcp.ack - clientFinSeq - 1) | 0) >= 0
    )
      t.clientFinAcked = { frame, time, from: dir };
  }
  if (f & TCP_FIN) {
    if (dir === 'client' && !t.clientFin) t.clientFin = { frame, time, from: dir };
    if (dir === 'server' && !t.serverFin) t.serverFin = { frame, time, from: dir };
  }
  if (f & TCP_RST && !t.rst) t.rst = { frame, time, from: dir };
}

export function finishTeardown(t: TeardownModel): void {
  t.close = t.rst ? 'rst' : t.clientFin || t.serverFin ? 'fin' : 'none';
  t.openAtEnd = !t.rst && !(t.clientFin && t.serverFin);
}

export type { Direction };
