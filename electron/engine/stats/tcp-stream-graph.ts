/** The TCP stream graphs of one connection: its frames' sequence numbers, ACKs, windows and SACK blocks, from the index and the decoded headers. */
import { bitsToAnalysis, PF_FROM_SERVER } from '../../../dissectors/analysis/packet-index';
import { formatEndpoint } from '../../../dissectors/analysis/endpoint';
import { decodePacket } from '../../../dissectors/net/decode';
import { TCP_ACK, TCP_FIN, TCP_SYN } from '../../../dissectors/net/types';
import { scaledWindow } from '../../../dissectors/tcp/handshake';
import { buildTcpGraph, type TcpGraphFrame } from '../../../dissectors/stats/tcp-graph';
import type { TcpStreamGraph } from '../../../dissectors/stats/types';
import type { CaptureSession } from '../capture-session';
import { connectionFrameIndices } from '../connection-replay';

export function tcpStreamGraph(
  s: CaptureSession,
  connection: number,
  direction: 'client' | 'server',
): TcpStreamGraph {
  if (!s.loaded) throw new Error('the capture is still loading: the graph is drawn once it is read');
  const model = s.loaded.output.models[connection];
  if (!model) throw new Error(`no connection ${connection}`);
  if (direction !== 'client' && direction !== 'server') throw new Error('direction must be client or server');
  const idx = s.analyzer.index;
  const frames: TcpGraphFrame[] = [];
  for (const i of connectionFrameIndices(s, connection)) {
    const pkt = decodePacket(idx.linkTypeOf(i), s.store!.read(i), i + 1);
    const tcp = pkt.tcp;
    if (!tcp) continue;
    const fromServer = (idx.flags[i] & PF_FROM_SERVER) !== 0;
    const sackBase = (tcp.ack - idx.relAck[i]) >>> 0;
    const analysis = bitsToAnalysis(idx.analysis[i]);
    frames.push({
      frame: i + 1,
      time: idx.time[i],
      fromServer,
      seq: idx.relSeq[i],
      ack: idx.relAck[i],
      len: tcp.claimedPayloadLength,
      syn: (tcp.flags & TCP_SYN) !== 0,
      fin: (tcp.flags & TCP_FIN) !== 0,
      ackFlag: (tcp.flags & TCP_ACK) !== 0,
      window: scaledWindow(model.handshake, fromServer ? 'server' : 'client', tcp.window, tcp.flags),
      sack: (tcp.options.sack ?? []).map(
        ([l, r]) => [(l - sackBase) >>> 0, (r - sackBase) >>> 0] as [number, number],
      ),
      retransmission: analysis.some((a) => a.includes('retransmission')),
    });
  }
  const client = formatEndpoint(model.client);
  const server = formatEndpoint(model.server);
  return buildTcpGraph(
    connection,
    direction,
    direction === 'client' ? client : server,
    direction === 'client' ? server : client,
    frames,
  );
}
