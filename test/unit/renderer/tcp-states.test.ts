/**
 * Each side's TCP state (RFC 9293) read from real captures' packets: a normal close (the lesson: the
 * server closes first, the client's FIN rides on its ACK), a close ended by RST, a simultaneous close
 * (both FINs cross: CLOSING on both sides), a capture that starts mid-connection (unknown until the
 * first FIN), a refused connection (RST to the SYN), and the frames a lesson step stands for.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ConnectionModel } from '../../../dissectors/tcp/types';
import { lessonSteps } from '../../../renderer/src/layout/lesson-steps';
import {
  STATE_MEANING,
  TCP_STATES,
  stepSpan,
  tcpStatesAt,
  tcpTransitions,
} from '../../../renderer/src/layout/tcp-states';
import { FIXTURES } from '../../helpers/fixtures';
import { runTcp } from '../../helpers/tcp-run';

const model = (file: string, id = 0): ConnectionModel =>
  runTcp(readFileSync(join(FIXTURES, file))).models[id];
/** "frame side FROM>TO" for each change. */
const path = (m: ConnectionModel) => tcpTransitions(m).map((t) => `${t.frame} ${t.side} ${t.from}>${t.to}`);

test('the lesson: handshake, then the server closes first and the client’s FIN rides on its ACK', () => {
  const m = model('lessons/smtp-pop3-lesson.pcap');
  assert.deepEqual(path(m), [
    '1 client CLOSED>SYN-SENT',
    '2 server LISTEN>SYN-RECEIVED',
    '3 client SYN-SENT>ESTABLISHED',
    '3 server SYN-RECEIVED>ESTABLISHED',
    '37 server ESTABLISHED>FIN-WAIT-1',
    '38 client ESTABLISHED>CLOSE-WAIT',
    '38 server FIN-WAIT-1>FIN-WAIT-2',
    '38 client CLOSE-WAIT>LAST-ACK',
    '39 server FIN-WAIT-2>TIME-WAIT',
    '39 client LAST-ACK>CLOSED',
  ]);
  // The frames match the model's handshake and teardown.
  assert.equal(m.handshake.syn!.frame, 1);
  assert.equal(m.teardown.serverFin!.frame, 37);
  assert.equal(m.teardown.clientFin!.frame, 38);
  const before = tcpStatesAt(m, tcpTransitions(m), 0);
  assert.deepEqual([before.client, before.server], ['CLOSED', 'LISTEN']);
  const mid = tcpStatesAt(m, tcpTransitions(m), 20);
  assert.deepEqual([mid.client, mid.server], ['ESTABLISHED', 'ESTABLISHED']);
  const end = tcpStatesAt(m, tcpTransitions(m), Infinity, 37);
  assert.deepEqual([end.client, end.server], ['CLOSED', 'TIME-WAIT']);
  assert.equal(end.changes.length, 5, 'the changes after frame 37');
  assert.match(
    tcpTransitions(m)[4].sentence,
    /^The server sent FIN: it will send no more data, but can still receive\.$/,
  );
});

test('RST: the client half-closed, then aborted with RST; both sides are CLOSED', () => {
  // Sendmail answering 500 to garbage: the client's FIN (9), the server's ACK (10), data (11), RST (12).
  const m = model('corpus/suricata-verify/tests/smtp-errors/smtperr.pcap');
  assert.deepEqual(path(m).slice(4), [
    '9 client ESTABLISHED>FIN-WAIT-1',
    '10 server ESTABLISHED>CLOSE-WAIT',
    '10 client FIN-WAIT-1>FIN-WAIT-2',
    '12 client FIN-WAIT-2>CLOSED',
    '12 server CLOSE-WAIT>CLOSED',
  ]);
  const t = tcpTransitions(m);
  assert.match(t[t.length - 2].sentence, /client sent RST: it aborts the connection/);
  assert.match(t[t.length - 1].sentence, /server received the RST/);
});

test('simultaneous close: the FINs cross, both sides pass CLOSING to TIME-WAIT', () => {
  // Frame 37 client FIN (ack 349), frame 38 server FIN (seq 349, ack 112: the client's FIN not yet
  // received), 39 the client acknowledges the server's FIN, 40 the server acknowledges the client's.
  const m = model('corpus/suricata-verify/tests/bug-3519/input.pcap');
  assert.ok(
    m.teardown.serverFin!.frame < m.teardown.clientFinAcked!.frame,
    'the server sent FIN before acknowledging the client’s',
  );
  assert.deepEqual(path(m).slice(4), [
    '37 client ESTABLISHED>FIN-WAIT-1',
    '38 server ESTABLISHED>FIN-WAIT-1',
    '39 client FIN-WAIT-1>CLOSING',
    '39 server FIN-WAIT-1>FIN-WAIT-2',
    '40 server FIN-WAIT-2>TIME-WAIT',
    '40 client CLOSING>TIME-WAIT',
  ]);
  assert.match(tcpTransitions(m)[6].sentence, /simultaneous close/);
});

test('a capture starting mid-connection: unknown until a FIN shows the state, said so', () => {
  const m = model('corpus/chrissanders-packets/tcp_teardown.pcapng');
  assert.equal(m.handshake.syn, null);
  const start = tcpStatesAt(m, tcpTransitions(m), 0);
  assert.deepEqual([start.client, start.server], ['unknown', 'unknown']);
  assert.match(STATE_MEANING.unknown, /capture starts after the handshake/);
  assert.deepEqual(path(m), [
    '1 server unknown>FIN-WAIT-1',
    '2 client unknown>CLOSE-WAIT',
    '2 server FIN-WAIT-1>FIN-WAIT-2',
    '3 client CLOSE-WAIT>LAST-ACK',
    '4 server FIN-WAIT-2>TIME-WAIT',
    '4 client LAST-ACK>CLOSED',
  ]);
});

test('a refused connection: nothing listens, the SYN is answered with RST', () => {
  const m = model('corpus/chrissanders-packets/tcp_refuseconnection.pcapng');
  assert.equal(m.handshake.outcome, 'reset');
  const start = tcpStatesAt(m, tcpTransitions(m), 0);
  assert.deepEqual([start.client, start.server], ['CLOSED', 'CLOSED'], 'the server never listened');
  assert.deepEqual(path(m), ['1 client CLOSED>SYN-SENT', '2 client SYN-SENT>CLOSED']);
  assert.match(tcpTransitions(m)[1].sentence, /nothing listens on that port/);
});

test('every state has a plain meaning; a lesson step stands for the frames up to the next step', () => {
  for (const s of TCP_STATES) assert.ok(STATE_MEANING[s].length > 10, s);
  const m = model('lessons/smtp-pop3-lesson.pcap');
  const steps = lessonSteps(m, []);
  assert.deepEqual(
    steps.map((s) => s.frame),
    [1, 2, 3, 37, 38],
  );
  assert.deepEqual(stepSpan(steps, null), { after: -Infinity, upTo: -1 });
  assert.deepEqual(stepSpan(steps, 0), { after: -Infinity, upTo: 1 });
  assert.deepEqual(stepSpan(steps, 2), { after: 2, upTo: 36 });
  assert.deepEqual(stepSpan(steps, 4), { after: 37, upTo: Infinity });
  const t = tcpTransitions(m);
  // Each change falls in exactly one step's span.
  const counted = steps.map((_, i) => {
    const sp = stepSpan(steps, i);
    return tcpStatesAt(m, t, sp.upTo, sp.after).changes.length;
  });
  assert.equal(
    counted.reduce((a, b) => a + b, 0),
    t.length,
  );
  // The last step (the client's FIN) reaches the final ACK: the server in TIME-WAIT, the client CLOSED.
  const last = stepSpan(steps, 4);
  const now = tcpStatesAt(m, t, last.upTo, last.after);
  assert.deepEqual([now.client, now.server], ['CLOSED', 'TIME-WAIT']);
});
