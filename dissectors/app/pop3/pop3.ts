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
import { bareLfNote, bareLfSilenceNote, endsWithBareLf } from '../line-endings';
import { printable } from '../output';
import type { StreamLine } from '../stream-buffer';
import { replyOutcome } from '../reply-outcome';
import { awaitTlsOrClear } from '../upgrades';
import type { Credential, LadderEvent, ReplyOutcome } from '../types';
import { explainPop3Error, isTemporaryPop3Error, messageNumberOf, POP3_COMMANDS, POP3_NOTES } from './explain';

type State = 'authorization' | 'transaction' | 'update';

/** Commands whose +OK reply is multi-line (with or without an argument, as RFC 1939 says). */
function isMultiLine(verb: string, arg: string): boolean {
  if (verb === 'RETR' || verb === 'TOP' || verb === 'CAPA') return true;
  if (verb === 'LIST' || verb === 'UIDL') return arg.trim() === '';
  return false;
}

/** A message read with RETR or TOP, with the number the client asked for (RETR 2 → 2). */
export interface Pop3Message extends MailMessage {
  /** The message number the client used (`RETR 2`, `TOP 2 0`): the server's numbering, not the order of reading; null when the command had none. */
  number: number | null;
  command: 'RETR' | 'TOP';
}

export interface Pop3Summary {
  user: string | null;
  state: State;
  stat: { messages: number; octets: number } | null;
  retrieved: Pop3Message[];
  /** Message numbers the server agreed to mark for deletion (DELE n answered +OK; RSET empties it). */
  deleted: number[];
  commands: number;
}

interface Pending {
  verb: string;
  arg: string;
  /** The login this command sent (PASS, APOP, AUTH PLAIN), whose outcome the reply decides. */
  credential: Credential | null;
  /** The command's line ended with LF only (nc without -C). */
  bareLf?: boolean;
  event?: LadderEvent | null;
  frame?: number;
}

const CREDENTIAL_VERBS = new Set(['USER', 'PASS', 'APOP']);

export function createPop3Handler(host: HandlerHost): ProtocolHandler {
  const { out, ctx } = host;
  const summary: Pop3Summary = { user: null, state: 'authorization', stat: null, retrieved: [], deleted: [], commands: 0 };
  out.summary.pop3 = summary;
  const pending: Pending[] = [];
  let greeted = false;
  let multi: { verb: string; arg: string; first: StreamLine; lines: string[]; frames: number[]; message: MessageCollector | null; count: number } | null = null;
  let authMech: string | null = null;
  /** The AUTH command waiting for its final reply (a SASL PLAIN answer gives it its credential). */
  let authPending: Pending | null = null;
  let saslClientTurn = false;
  let handedOver = false;
  let bareLfSaid = false;
  /** The server answered a line that ended with LF only: it accepts them, so a later silence is not about line endings. */
  let bareLfAnswered = false;

  function onClient(line: StreamLine): void {
    if (saslClientTurn) {
      saslClientTurn = false;
      const raw = decodeBase64(line.text.trim());
      const text = raw ? utf8(raw) : null;
      let shown = text === null ? null : `decoded: ${printable(text)}`;
      if (text !== null && authMech === 'PLAIN') {
        const [, user, pass] = text.split('\0');
        if (authPending) authPending.credential = credential({ frame: line.frames[0] ?? 0, mechanism: 'AUTH PLAIN', username: user ?? '', password: pass ?? null });
        else credential({ frame: line.frames[0] ?? 0, mechanism: 'AUTH PLAIN', username: user ?? '', password: pass ?? null });
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
    const cmd: Pending = { verb, arg, credential: null, bareLf: endsWithBareLf(line), frame: line.frames[0] ?? 0 };
    pending.push(cmd);
    let label = printable(line.text, 120);
    const lines: string[] = [];
    if (verb === 'USER') summary.user = arg;
    if (verb === 'PASS') {
      cmd.credential = credential({ frame: line.frames[0] ?? 0, mechanism: 'USER/PASS', username: summary.user ?? '', password: arg });
      lines.push(POP3_NOTES.passVisible);
    }
    if (verb === 'APOP') {
      const [user, digest] = arg.split(' ');
      summary.user = user ?? null;
      cmd.credential = credential({ frame: line.frames[0] ?? 0, mechanism: 'APOP', username: user ?? '', password: null });
      lines.push(`MD5 digest ${printable(digest ?? '')}`);
    }
    if (verb === 'AUTH') {
      const [mech, initial] = arg.split(/\s+/);
      authMech = (mech ?? '').toUpperCase();
      authPending = cmd;
      label = `AUTH ${authMech}${initial ? ' ' + initial : ''}`;
      if (initial && authMech === 'PLAIN') {
        const raw = decodeBase64(initial);
        if (raw) {
          const [, user, pass] = utf8(raw).split('\0');
          cmd.credential = credential({ frame: line.frames[0] ?? 0, mechanism: 'AUTH PLAIN', username: user ?? '', password: pass ?? null });
          lines.push(`username “${printable(user ?? '')}”, password “${printable(pass ?? '')}”`);
        }
      }
    }
    const number = messageNumberOf(verb, arg);
    if (number !== null) lines.push(`message number ${number} (the server's numbering, as LIST shows it)`);
    if (cmd.bareLf && !bareLfSaid) {
      bareLfSaid = true;
      lines.push(`! ${bareLfNote('POP3')}`);
      out.diag('pop3.line.bare_lf', 'warn', `lines end with LF only, not CR LF: ${bareLfNote('POP3')}`, line.frames[0]);
    } else if (cmd.bareLf) lines.push('(this line also ends with LF only)');
    if (verb === 'QUIT' && summary.state === 'transaction') summary.state = 'update';
    // Lines that carry a credential in clear are drawn as 'auth' (red in the ladder).
    cmd.event = out.event('client', CREDENTIAL_VERBS.has(verb) ? 'auth' : 'command', spanOf(line), label, POP3_COMMANDS[verb] ?? 'A command this dissector does not describe.', {
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
      withOutcome(out.event('server', 'reply', spanOf(line), printable(line.text, 120), indicator === '+OK' ? POP3_NOTES.greeting : POP3_NOTES.err, { fields: { 'pop.response.indicator': indicator } }), outcomeOf(indicator, text));
      return;
    }
    if (indicator === '+') {
      // SASL continuation (AUTH): base64 challenge, the client answers next.
      const raw = decodeBase64(text);
      saslClientTurn = true;
      withOutcome(out.event('server', 'auth', spanOf(line), printable(line.text, 100), POP3_NOTES.saslChallenge, { lines: raw ? [`decoded: “${printable(utf8(raw))}”`] : undefined }), 'intermediate');
      return;
    }
    const cmd: Pending = pending.shift() ?? { verb: '', arg: '', credential: null };
    if (cmd === authPending) authPending = null;
    if (cmd.bareLf) bareLfAnswered = true;
    const outcome = outcomeOf(indicator, text);
    if (cmd.credential) cmd.credential.outcome = indicator === '+OK' ? 'accepted' : 'refused';
    let explain: string = indicator === '+OK' ? POP3_NOTES.ok : POP3_NOTES.err;
    if (indicator === '-ERR') {
      const why = explainPop3Error(cmd.verb, cmd.arg, text, summary.state !== 'authorization', summary.stat?.messages ?? null);
      explain = why.explain;
      if (why.code) out.diag(why.code, 'warn', `${cmd.verb ? `${cmd.verb}${cmd.arg && !['PASS', 'APOP', 'AUTH'].includes(cmd.verb) ? ' ' + printable(cmd.arg, 40) : ''}: ` : ''}${why.explain}`, line.frames[0]);
    }
    if (indicator === '+OK') {
      if (cmd.verb === 'PASS' || cmd.verb === 'APOP' || cmd.verb === 'AUTH') {
        summary.state = 'transaction';
        explain = POP3_NOTES.loggedIn;
      }
      if (cmd.verb === 'DELE') {
        const n = messageNumberOf('DELE', cmd.arg);
        if (n !== null && summary.deleted.length < 100000 && !summary.deleted.includes(n)) summary.deleted.push(n);
        explain = n !== null ? `Message ${n} is marked for deletion; the server removes it when the session ends with QUIT (RSET would unmark it).` : POP3_NOTES.deleted;
      }
      if (cmd.verb === 'USER') explain = POP3_NOTES.userOk;
      const n = messageNumberOf(cmd.verb, cmd.arg);
      if (n !== null && (cmd.verb === 'LIST' || cmd.verb === 'UIDL')) {
        const v = /^\d+\s+(\S+)/.exec(text)?.[1];
        if (v) explain = cmd.verb === 'LIST' ? `Message ${n} is ${v} octets long.` : `The unique id of message ${n} is ${v}: it stays the same across sessions, while message numbers may change.`;
      }
      if (cmd.verb === 'RSET') {
        summary.deleted = [];
        explain = POP3_NOTES.reset;
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
        withOutcome(out.event('server', 'reply', spanOf(line), printable(line.text, 120), POP3_NOTES.stls, { fields: { 'pop.response.indicator': indicator } }), outcome);
        handedOver = true;
        host.switchTo(
          awaitTlsOrClear(host, {
            upgrade: 'stls',
            command: 'STLS',
            protocol: 'POP3',
            replyLike: (b) => b[0] === 0x2b || b[0] === 0x2d, // + or -
            resume: () => {
              handedOver = false;
              return handler;
            },
          }),
        );
        return;
      }
      if (isMultiLine(cmd.verb, cmd.arg)) {
        const message = cmd.verb === 'RETR' || cmd.verb === 'TOP' ? new MessageCollector(ctx, line.frames[line.frames.length - 1] ?? 0) : null;
        multi = { verb: cmd.verb, arg: cmd.arg, first: line, lines: [], frames: [...line.frames], message, count: 0 };
        return;
      }
    }
    withOutcome(out.event('server', cmd.verb === 'PASS' || cmd.verb === 'AUTH' ? 'auth' : 'reply', spanOf(line), printable(line.text, 120), explain, { fields: { 'pop.response.indicator': indicator } }), outcome);
  }

  /** A credential, its outcome unknown until the server answers the command that sent it. */
  function credential(c: Omit<Credential, 'connection' | 'protocol'>): Credential {
    out.credential({ ...c, outcome: 'unknown' });
    return out.credentials[out.credentials.length - 1];
  }

  function finishMulti(end: StreamLine): void {
    const mm = multi!;
    multi = null;
    const frames = mergeFrameLists(mm.frames, end.frames);
    const span = { frames, time: mm.first.time };
    const fields = { 'pop.response.indicator': '+OK' };
    if (mm.message) {
      const number = messageNumberOf(mm.verb, mm.arg);
      const msg: Pop3Message = Object.assign(mm.message.finish(null, end.frames[end.frames.length - 1] ?? 0), { number, command: mm.verb === 'TOP' ? ('TOP' as const) : ('RETR' as const) });
      if (summary.retrieved.length < 1000) {
        summary.retrieved.push(msg);
        ctx.messageComplete?.(msg);
      }
      const which = number !== null ? `message ${number}` : 'message';
      withOutcome(
        out.event('server', 'data', span, `${printable(mm.first.text, 60)} — ${which}: ${msg.size} bytes${msg.headers.subject ? ` “${printable(msg.headers.subject, 60)}”` : ''}`, number !== null ? `Message ${number} (${mm.verb} ${number}). ${mm.verb === 'TOP' ? POP3_NOTES.multi.TOP : POP3_NOTES.retr}` : mm.verb === 'TOP' ? POP3_NOTES.multi.TOP : POP3_NOTES.retr, {
          fields,
          lines: [`From: ${printable(msg.headers.from ?? '(none)', 120)}`, `To: ${printable(msg.headers.to ?? '(none)', 120)}`, `Subject: ${printable(msg.headers.subject ?? '(none)', 120)}`],
        }),
        'positive',
      );
      return;
    }
    withOutcome(out.event('server', 'reply', span, `${printable(mm.first.text, 80)} (+${mm.count} lines)`, POP3_NOTES.multi[mm.verb] ?? POP3_NOTES.ok, { fields, lines: mm.lines }), 'positive');
  }

  const handler: ProtocolHandler = {
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
      // Commands typed with LF-only endings that never got an answer: a strict server is still waiting for CR LF.
      const firstLf = bareLfAnswered ? undefined : pending.find((p) => p.bareLf && p.event);
      if (firstLf?.event && !handedOver) {
        const note = bareLfSilenceNote('POP3', pending.length - pending.indexOf(firstLf));
        firstLf.event.lines = [...(firstLf.event.lines ?? []), `! ${note}`];
        out.diag('pop3.reply.missing_bare_lf', 'warn', note, firstLf.frame);
      }
    },
  };
  return handler;
}

/** +OK positive, -ERR negative (temporary only for [IN-USE], [SYS/TEMP], [LOGIN-DELAY]). */
function outcomeOf(indicator: string, text: string): ReplyOutcome | undefined {
  if (indicator === '-ERR' && isTemporaryPop3Error(text)) return 'transient-negative';
  return replyOutcome(indicator);
}

function withOutcome(e: LadderEvent | null, outcome: ReplyOutcome | undefined): void {
  if (e && outcome) e.outcome = outcome;
}
