/**
 * HTTP/2 inside TLS (ALPN h2), recognised and listed frame by frame (RFC 9113 §4.1: 9-byte header —
 * length, type, flags, stream): the client's connection preface, then `SETTINGS[0]`, `HEADERS[1]`,
 * `DATA[1]` … as tshark names them. Header blocks are HPACK-compressed and are not decoded here.
 * A frame's payload is passed over as it comes (never buffered whole), so a big DATA frame costs nothing.
 */
import type { Direction, StreamGap } from '../../tcp/types';
import { spanOf, type HandlerHost, type ProtocolHandler } from '../handler';
import type { LadderEvent } from '../types';

const PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';

export const HTTP2_FRAME_TYPES: Record<number, string> = {
  0: 'DATA',
  1: 'HEADERS',
  2: 'PRIORITY',
  3: 'RST_STREAM',
  4: 'SETTINGS',
  5: 'PUSH_PROMISE',
  6: 'PING',
  7: 'GOAWAY',
  8: 'WINDOW_UPDATE',
  9: 'CONTINUATION',
};

const NOTES: Record<string, string> = {
  preface:
    'The client starts HTTP/2 (chosen with ALPN "h2" in the TLS handshake) with a fixed greeting, then binary frames.',
  DATA: 'DATA: the body of a request or response, on its stream.',
  HEADERS:
    'HEADERS: a request or response head (method, path, status, headers), compressed with HPACK — not decoded here.',
  SETTINGS:
    "SETTINGS: each side announces its limits (frame size, concurrent streams, window); an empty one with the ACK flag confirms the other side's.",
  WINDOW_UPDATE: 'WINDOW_UPDATE: flow control — the receiver allows the sender more bytes.',
  GOAWAY: 'GOAWAY: the connection is being closed; streams above the given number were not processed.',
  RST_STREAM: 'RST_STREAM: one stream (one request) is cancelled.',
  PING: 'PING: checks that the connection is alive (and measures the round trip).',
  other: 'An HTTP/2 frame. HTTP/2 carries many requests at once as numbered streams in one TCP connection.',
};

export function createHttp2FrameHandler(host: HandlerHost): ProtocolHandler {
  const { out, bufs } = host;
  out.summary.http2 = { frames: 0 };
  const summary = out.summary.http2 as { frames: number };
  const state: Record<
    Direction,
    {
      preface: boolean;
      skip: number;
      data: LadderEvent | null;
      dataStream: number;
      dataFrames: number;
      dataBytes: number;
    }
  > = {
    client: { preface: false, skip: 0, data: null, dataStream: -1, dataFrames: 0, dataBytes: 0 },
    server: { preface: true, skip: 0, data: null, dataStream: -1, dataFrames: 0, dataBytes: 0 },
  };
  let stopped = false;

  function pump(dir: Direction, final: boolean): void {
    const b = bufs[dir];
    const st = state[dir];
    for (;;) {
      if (stopped) {
        b.takeAll();
        return;
      }
      if (st.skip > 0) {
        const part = b.take(Math.min(st.skip, b.available));
        if (!part || part.bytes.length === 0) return;
        st.skip -= part.bytes.length;
        continue;
      }
      if (!st.preface) {
        if (b.available < PREFACE.length && !final) return;
        const head = b.take(Math.min(PREFACE.length, b.available));
        if (!head) return;
        st.preface = true;
        const text = String.fromCharCode(...head.bytes);
        if (text !== PREFACE) {
          out.diag(
            'http2.preface.missing',
            'warn',
            'ALPN chose h2 but the client did not send the HTTP/2 connection preface; the rest is not read as HTTP/2',
            head.frames[0],
          );
          stopped = true;
          continue;
        }
        out.event(dir, 'command', spanOf(head), 'HTTP/2 connection preface', NOTES.preface, {
          fields: { 'http2.magic': 1 },
        });
        continue;
      }
      const h = b.peek();
      if (h.length < 9) {
        if (final && h.length) b.takeAll();
        return;
      }
      const length = (h[0] << 16) | (h[1] << 8) | h[2];
      const type = h[3];
      const stream = ((h[5] & 0x7f) << 24) | (h[6] << 16) | (h[7] << 8) | h[8];
      const header = b.take(9)!;
      st.skip = length;
      summary.frames++;
      const name = HTTP2_FRAME_TYPES[type] ?? `type ${type}`;
      if (type === 0 && st.data && st.dataStream === stream && st.data.frames.length < 1000) {
        st.dataFrames++;
        st.dataBytes += length;
        st.data.label = `DATA[${stream}] ×${st.dataFrames}, ${st.dataBytes} bytes`;
        for (const f of header.frames) if (!st.data.frames.includes(f)) st.data.frames.push(f);
        continue;
      }
      const e = out.event(
        dir,
        type === 1 ? (dir === 'client' ? 'command' : 'reply') : 'data',
        spanOf(header),
        type === 0 ? `DATA[${stream}], ${length} bytes` : `${name}[${stream}]`,
        NOTES[name] ?? NOTES.other,
        {
          fields: { 'http2.type': type, 'http2.streamid': stream },
        },
      );
      st.data = type === 0 ? e : null;
      st.dataStream = stream;
      st.dataFrames = 1;
      st.dataBytes = length;
    }
  }

  return {
    pump,
    gap(g: StreamGap) {
      void g;
      stopped = true; // frame boundaries are lost
    },
    end() {
      // nothing pending
    },
  };
}
