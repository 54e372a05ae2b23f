/**
 * A capture with one SMTP connection of `commands` NOOP/250 exchanges (2 × commands + 3 ladder
 * events): the 10,000-event ladder of the performance issue. Deterministic.
 */
import type { Conversation, Turn } from './generator/app-scripts';
import { FrameWriter } from './generator/frame-writer';
import { Prng } from './generator/prng';
import { packetize } from './generator/tcp-session';

export function writeLongLadderCapture(out: string, commands = 5000): { packets: number } {
  const enc = new TextEncoder();
  const turns: Turn[] = [
    { from: 's', data: enc.encode('220 mail.lab.local ESMTP\r\n') },
    { from: 'c', data: enc.encode('EHLO student-pc\r\n') },
    { from: 's', data: enc.encode('250 mail.lab.local\r\n') },
  ];
  for (let i = 0; i < commands; i++) {
    turns.push({ from: 'c', data: enc.encode(`NOOP ${i}\r\n`) });
    turns.push({ from: 's', data: enc.encode('250 2.0.0 Ok\r\n') });
  }
  const conv: Conversation = { protocol: 'smtp', serverPort: 25, turns };
  const packets = packetize(conv, new Prng('long-ladder'), { mss: 1460, retransmit: 0, outOfOrder: 0, reset: 0, wrap: 0 });
  const w = new FrameWriter(out, 'pcap');
  const ep = { clientIp: 0x0a000001, serverIp: 0x0a000002, clientPort: 40000, serverPort: 25 };
  let t = 1_700_000_000_000_000;
  for (const p of packets) {
    t += p.payload.length ? 20_000 : 200;
    w.tcp(t, ep, p.fromClient, p.flags, p.seq, p.ack, p.payload);
  }
  w.close();
  return { packets: w.packets };
}
