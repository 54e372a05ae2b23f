/**
 * POP3 (RFC 1939, RFC 2449 CAPA, RFC 2595 STLS, RFC 5034 AUTH): commands and +OK/-ERR replies paired
 * in order, multi-line replies (LIST, UIDL, RETR, TOP, CAPA) read to the lone dot with dot-unstuffing,
 * retrieved messages parsed like SMTP ones, the session state tracked, STLS handing over to TLS.
 */
import { mergeFrameLists } from '../../model/frame-list';
import type { StreamGap } from '../../tcp/types';
import { pumpLines, spanOf, type HandlerHost, type ProtocolHandler } from '../handler';
import { MessageCollector } from '../mail/collector';
import type { MailMessage } from '../mail/message';
import { decodeBase64, utf8 } from '../../model/bytes-text';
import { printable } from '../output';
import type { StreamLine } from '../stream-buffer';
import { createTlsHandler } from '../tls/tls-handler';
import { POP3_COMMANDS, POP3_NOTES } from './explain';

type State = 'authorization' | 'transaction' | 'update';

/** Commands whose +OK reply is multi-line (with or without an argument, as RFC 1939 says). */
function isMultiLine(verb: string, arg: string): boolean {
  if (verb === 'RETR' || verb === 'TOP' || verb === 'CAPA') return true;
  if (verb === 'LIST' || verb === 'UIDL') return arg.trim() === '';
  return false;
}

export interface Pop3Summary {
  user: string | null;
  state: State;
  stat: { messages: number; octets: number } | null;
  retrieved: MailMessage[];
  deleted: number[];
  commands: number;
}

const CREDENTIAL_VERBS = new Set(['USER', 'PASS', 'APOP']);

export function createPop3Handler(host: HandlerHost): ProtocolHandler {
  const { out, ctx } = host;
  const summary: Pop3Summary = { user: null, state: 'authorization', stat: null, retrieved: [], deleted: [], commands: 0 };
  out.summary.pop3 = summary;
  const pending: Array<{ verb: string; arg: string }> = [];
  let greeted = false;
  let multi: { verb: string; arg: string; first: StreamLine; lines: string[]; frames: number[]; message: MessageCollector | null; count: number } | null = null;
  let authMech: string | null = null;
  let saslClientTurn = false;
  let handedOver = false;

  function onClient(line: StreamLine): void {
    if (saslClientTurn) {
      saslClientTurn = false;
      const raw = decodeBase64(line.text.trim());
      const text = raw ? utf8(raw) : null;
      let shown = text === null ? null : `decoded: ${printable(text)}`;
      if (text !== null && authMech === 'PLAIN') {
        const [, user, pass] = text.split('\0');
        out.credential({ frame: line.frames[0] ?? 0, mechanism: 'AUTH PLAIN', username: user ?? '', password: pass ?? null });
        shown = `username “${printable(user ?? '')}”, password “${printable(pass ?? '')}”`;
      }
      out.event('client', 'auth', spanOf(line), printable(line.text, 100), POP3_NOTES.saslAnswer, { lines: shown ? [shown] : undefined });
      return;
    }
    const sp = line.text.indexOf(' ');
    const typed = sp < 0 ? line.text : line.text.slice(0, sp);
    const verb = typed.toUpperCase();
    const arg = sp < 0 ? '' : line.text.slice(sp + 1);
    summary.commands++;
    pending.push({ verb, arg });
    let label = printable(line.text, 120);
    const lines: string[] = [];
    if (verb === 'USER') summary.user = arg;
    if (verb === 'PASS') {
      out.credential({ frame: line.frames[0] ?? 0, mechanism: 'USER/PASS', username: summary.user ?? '', password: arg });
      lines.push(POP3_NOTES.passVisible);
    }
    if (verb === 'APOP') {
      const [user, digest] = arg.split(' ');
      summary.user = user ?? null;
      out.credential({ frame: line.frames[0] ?? 0, mechanism: 'APOP', username: user ?? '', password: null });
      lines.push(`MD5 digest ${printable(digest ?? '')}`);
    }
    if (verb === 'AUTH') {
      const [mech, initial] = arg.split(/\s+/);
      authMech = (mech ?? '').toUpperCase();
      label = `AUTH ${authMech}${initial ? ' ' + initial : ''}`;
      if (initial && authMech === 'PLAIN') {
        const raw = decodeBase64(initial);
        if (raw) {
          const [, user, pass] = utf8(raw).split('\0');
          out.credential({ frame: line.frames[0] ?? 0, mechanism: 'AUTH PLAIN', username: user ?? '', password: pass ?? null });
          lines.push(`username “${printable(user ?? '')}”, password “${printable(pass ?? '')}”`);
        }
      }
    }
    if (verb === 'DELE') {
      const n = Number(arg);
      if (Number.isSafeInteger(n)) summary.deleted.push(n);
    }
    if (verb === 'RSET') summary.deleted = [];
    if (verb === 'QUIT' && summary.state === 'transaction') summary.state = 'update';
    // Lines that carry a credential in clear are drawn as 'auth' (red in the ladder).
    out.event('client', CREDENTIAL_VERBS.has(verb) ? 'auth' : 'command', spanOf(line), label, POP3_COMMANDS[verb] ?? 'A command this dissector does not describe.', {
      fields: { 'pop.request.command': typed, ...(arg ? { 'pop.request.parameter': arg } : {}) },
      lines: lines.length ? lines : undefined,
    });
  }

  /** Inside a retrieved message: whole runs of ordinary lines go to the message at once. */
  function takeMessageRuns(): void {
    const m = multi;
    if (!m?.message) return;
    for (let run = host.bufs.server.takeCrlfLines(); run; run = host.bufs.server.takeCrlfLines()) {
      m.count += run.lines;
      for (const f of run.block.frames) if (m.frames[m.frames.length - 1] !== f && m.frames.length < 100000) m.frames.push(f);
      m.message.add(run.block.bytes, run.block.frames);
    }
  }

  function onServer(line: StreamLine): void {
    if (multi) {
      if (line.text === '.') return finishMulti(line);
      const content = line.bytes[0] === 0x2e ? line.bytes.subarray(1) : line.bytes;
      multi.count++;
      for (const f of line.frames) if (multi.frames[multi.frames.length - 1] !== f && multi.frames.length < 100000) multi.frames.push(f);
      if (multi.message) multi.message.line(content, line.frames);
      else if (multi.lines.length < 1000) multi.lines.push(printable(line.text.startsWith('.') ? line.text.slice(1) : line.text, 200));
      return;
    }
    const m = /^(\+OK|-ERR|\+)(?: (.*))?$/.exec(line.text);
    if (!m) {
      out.diag('pop3.reply.invalid', 'warn', `not a POP3 reply: ${printable(line.text, 80)}`, line.frames[0]);
      out.event('server', 'data', spanOf(line), printable(line.text, 80), POP3_NOTES.notPop3);
      return;
    }
    const indicator = m[1];
    const text = m[2] ?? '';
    if (!greeted && pending.length === 0) {
      greeted = true;
      out.event('server', 'reply', spanOf(line), printable(line.text, 120), POP3_NOTES.greeting, { fields: { 'pop.response.indicator': indicator } });
      return;
    }
    if (indicator === '+') {
      // SASL continuation (AUTH): base64 challenge, the client answers next.
      const raw = decodeBase64(text);
      saslClientTurn = true;
      out.event('server', 'auth', spanOf(line), printable(line.text, 100), POP3_NOTES.saslChallenge, { lines: raw ? [`decoded: “${printable(utf8(raw))}”`] : undefined });
      return;
    }
    const cmd = pending.shift() ?? { verb: '', arg: '' };
    let explain: string = indicator === '+OK' ? POP3_NOTES.ok : POP3_NOTES.err;
    if (indicator === '+OK') {
      if (cmd.verb === 'PASS' || cmd.verb === 'APOP' || cmd.verb === 'AUTH') {
        summary.state = 'transaction';
        explain = POP3_NOTES.loggedIn;
      }
      if (cmd.verb === 'STAT') {
        const s = /^(\d+) (\d+)/.exec(text);
        if (s) {
          summary.stat = { messages: Number(s[1]), octets: Number(s[2]) };
          explain = `${POP3_NOTES.stat} Here: ${s[1]} message(s), ${s[2]} octets.`;
        }
      }
      if (cmd.verb === 'QUIT') explain = POP3_NOTES.quit;
      if (cmd.verb === 'STLS') {
        out.event('server', 'reply', spanOf(line), printable(line.text, 120), POP3_NOTES.stls, { fields: { 'pop.response.indicator': indicator } });
        handedOver = true;
        host.switchTo(createTlsHandler(host, 'stls'));
        return;
      }
      if (isMultiLine(cmd.verb, cmd.arg)) {
        const message = cmd.verb === 'RETR' || cmd.verb === 'TOP' ? new MessageCollector(ctx, line.frames[line.frames.length - 1] ?? 0) : null;
        multi = { verb: cmd.verb, arg: cmd.arg, first: line, lines: [], frames: [...line.frames], message, count: 0 };
        return;
      }
    }
    out.event('server', cmd.verb === 'PASS' || cmd.verb === 'AUTH' ? 'auth' : 'reply', spanOf(line), printable(line.text, 120), explain, { fields: { 'pop.response.indicator': indicator } });
  }

  function finishMulti(end: StreamLine): void {
    const mm = multi!;
    multi = null;
    const frames = mergeFrameLists(mm.frames, end.frames);
    const span = { frames, time: mm.first.time };
    const fields = { 'pop.response.indicator': '+OK' };
    if (mm.message) {
      const msg = mm.message.finish(null, end.frames[end.frames.length - 1] ?? 0);
      if (summary.retrieved.length < 1000) {
        summary.retrieved.push(msg);
        ctx.messageComplete?.(msg);
      }
      out.event('server', 'data', span, `${printable(mm.first.text, 60)} — message ${msg.size} bytes${msg.headers.subject ? ` “${printable(msg.headers.subject, 60)}”` : ''}`, POP3_NOTES.retr, {
        fields,
        lines: [`From: ${printable(msg.headers.from ?? '(none)', 120)}`, `To: ${printable(msg.headers.to ?? '(none)', 120)}`, `Subject: ${printable(msg.headers.subject ?? '(none)', 120)}`],
      });
      return;
    }
    out.event('server', 'reply', span, `${printable(mm.first.text, 80)} (+${mm.count} lines)`, POP3_NOTES.multi[mm.verb] ?? POP3_NOTES.ok, { fields, lines: mm.lines });
  }

  return {
    pump(dir, final) {
      if (dir === 'server') takeMessageRuns();
      pumpLines(host, dir, final, 'pop3', dir === 'client' ? onClient : onServer, () => handedOver, dir === 'server' ? takeMessageRuns : undefined);
    },
    gap(gap: StreamGap) {
      if (gap.dir === 'server' && multi?.message) multi.message.add(new Uint8Array(0), []);
    },
    end() {
      if (multi) {
        out.diag('pop3.reply.unterminated', 'warn', `the connection ended inside the ${multi.verb} reply (no final dot)`, multi.first.frames[0]);
        const m = multi;
        finishMulti({ ...m.first, frames: [], text: '.' });
      }
    },
  };
}
