/** One packet's details tree and bytes, decoded on demand (Wireshark's lazy second look). */
import { isoTime } from '../../dissectors/analysis/report';
import { linkTypeName } from '../../dissectors/capture/link-types';
import { decodePacket } from '../../dissectors/net/decode';
import { PF_FROM_SERVER } from '../../dissectors/analysis/packet-index';
import { withConnectionFields } from '../../dissectors/net/info';
import type { Layer, LayerField } from '../../dissectors/net/types';
import { scaledWindow, windowShift } from '../../dissectors/tcp/handshake';
import type { PacketDetail } from '../../api/engine-api';
import type { CaptureSession } from './capture-session';
import { tcpAnalysisFields } from './tcp-analysis-detail';

export function packetDetail(s: CaptureSession, frame: number): PacketDetail {
  const idx = s.analyzer.index;
  const i = frame - 1;
  if (!Number.isInteger(i) || i < 0 || i >= idx.count) throw new Error(`no frame ${frame}`);
  const bytes = s.store!.read(i);
  const pkt = decodePacket(idx.linkTypeOf(i), bytes, frame, { tree: true });
  const base = s.analyzer.baseTime ?? { sec: 0, nsec: 0 };
  const t = idx.time[i];
  const abs = base.sec + base.nsec / 1e9 + t;
  const sec = Math.floor(abs);
  const absTime = isoTime(sec, Math.round((abs - sec) * 1e9));
  const frameLayer: Layer = {
    name: `Frame ${frame}: ${idx.origLenOf(i)} bytes on wire, ${idx.capLen[i]} bytes captured`,
    id: 'frame',
    offset: 0,
    length: bytes.length,
    fields: [
      { name: 'frame.time', label: `Arrival Time: ${absTime}`, offset: 0, length: 0 },
      { name: 'frame.time_relative', label: `Time since first frame: ${t.toFixed(9)} s`, offset: 0, length: 0 },
      { name: 'frame.number', label: `Frame Number: ${frame}`, offset: 0, length: 0 },
      { name: 'frame.len', label: `Frame Length: ${idx.origLenOf(i)} bytes`, offset: 0, length: 0 },
      { name: 'frame.cap_len', label: `Capture Length: ${idx.capLen[i]} bytes`, offset: 0, length: 0 },
      {
        name: 'frame.link_type',
        label: `Link type: ${linkTypeName(idx.linkTypeOf(i))} (${idx.linkTypeOf(i)})`,
        offset: 0,
        length: 0,
      },
      ...(idx.conn[i] >= 0
        ? [{ name: 'tcp.stream', label: `TCP connection: #${idx.conn[i]}`, offset: 0, length: 0 }]
        : []),
    ],
  };
  // Relative numbers and the window the connection uses, beside the raw header fields (as tshark's tree).
  const tcpFields = (fields: LayerField[]): LayerField[] => {
    const tcp = pkt.tcp!;
    const dir = idx.flags[i] & PF_FROM_SERVER ? 'server' : 'client';
    const h = s.loaded?.output.models[idx.conn[i]]?.handshake;
    const out = withConnectionFields(fields, tcp, idx.relSeq[i], idx.relAck[i], scaledWindow(h, dir, tcp.window, tcp.flags), windowShift(h, dir));
    const analysis = tcpAnalysisFields(s, i);
    return analysis ? [...out, analysis] : out;
  };
  return {
    no: frame,
    time: t,
    absTime,
    capLen: idx.capLen[i],
    origLen: idx.origLenOf(i),
    linkType: idx.linkTypeOf(i),
    interfaceId: idx.ifaceOf(i),
    comment: null,
    layers: [frameLayer, ...(pkt.layers ?? []).map((l) => (l.id === 'tcp' && pkt.tcp && idx.conn[i] >= 0 ? { ...l, fields: tcpFields(l.fields) } : l))],
    bytesBase64: Buffer.from(bytes).toString('base64'),
    diagnostics: pkt.diagnostics,
    connection: idx.conn[i],
  };
}
