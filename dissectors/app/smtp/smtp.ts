/**
 * SMTP (RFC 5321) from both reassembled directions: commands and (multi-line) replies matched in
 * order (so PIPELINING pairs correctly), AUTH PLAIN/LOGIN/CRAM-MD5 decoded, DATA with dot-unstuffing
 * and BDAT chunks collected into messages (envelope next to headers), STARTTLS handing over to TLS.
 */
import { mergeFrameLists } from '../../model/frame-list';
import type { Direction, StreamGap } from '../../tcp/types';
import { spanOf, type HandlerHost, type ProtocolHandler } from '../handler';
import { MessageCollector } from '../mail/collector';
import { parsePath } from '../mail/headers';
import type { MailMessage } from '../mail/message';
import { decodeBase64, utf8 } from '../../model/bytes-text';
import { printable } from '../output';
import type { StreamLine } from '../stream-buffer';
import { createTlsHandler } from '../tls/tls-handler';
import { explainSmtpReply, SMTP_COMMANDS, SMTP_NOTES } from './explain';

interface PendingCommand {
  verb: string;
  arg: string;
  frame: number;
}

interface Reply {
  code: string;
  lines: string[];
  frames: number[];
  time: number;
}

type ClientMode = 'command' | 'data' | 'auth' | 'bdat';

/** One mail transaction: an envelope and what became of it. */
export interface SmtpTransaction {
  frame: number;
  mailFrom: string | null;
  rcptTo: string[];
  /** 'message': a message was sent (index into messages); 'reset': RSET/EHLO/HELO/MAIL dropped it; 'open': the capture ended first. */
  outcome: 'message' | 'reset' | 'open';
  message: number | null;
}

export interface SmtpSummary {
  helo: string | null;
  transactions: SmtpTransaction[];
  extensions: string[];
  authMechanism: string | null;
  authenticated: boolean | null;
  messages: MailMessage[];
  commands: number;
  replies: number;
}

/** Most messages described per connection. */
const MAX_MESSAGES = 1000;

export function createSmtpHandler(host: HandlerHost): ProtocolHandler {
  const { out, bufs, ctx } = host;
  const summary: SmtpSummary = { helo: null, transactions: [], extensions: [], authMechanism: null, authenticated: null, messages: [], commands: 0, replies: 0 };
  out.summary.smtp = summary;
  const pending: PendingCommand[] = [];
  let mode: ClientMode = 'command';
  let authMech: string | null = null;
  let authStep = 0;
  let authUser: string | null = null;
  let authFrame = 0;
  let mailFrom: string | null = null;
  let rcptTo: string[] = [];
  let txFrame = 0;

  /** Ends the current envelope (if any) with `outcome`, and starts an empty one. */
  function closeTransaction(outcome: SmtpTransaction['outcome'], message: number | null): void {
    if ((mailFrom !== null || rcptTo.length) && summary.transactions.length < MAX_MESSAGES)
      summary.transactions.push({ frame: txFrame, mailFrom, rcptTo: [...rcptTo], outcome, message });
    mailFrom = null;
    rcptTo = [];
  }
  let message: MessageCollector | null = null;
  let dataStart: { frames: number[]; time: number } | null = null;
  let bdatLeft = 0;
  let bdatLast = false;
  let reply: Reply | null = null;
  let stopped = false;
  let handedOver = false;

  function envelope() {
    return mailFrom === null && rcptTo.length === 0 ? null : { mailFrom, rcptTo: [...rcptTo] };
  }

  function finishMessage(endFrames: number[], time: number, how: string): void {
    if (!message) return;
    const m = message.finish(envelope(), endFrames[endFrames.length - 1] ?? message.lastFrame);
    if (summary.messages.length < MAX_MESSAGES) {
      summary.messages.push(m);
      ctx.messageComplete?.(m);
    }
    const envFrom = mailFrom;
    const envTo = [...rcptTo];
    closeTransaction('message', summary.messages.length - 1);
    const subject = m.headers.subject ? ` “${printable(m.headers.subject, 60)}”` : '';
    out.event('client', 'data', { frames: mergeFrames(message.frames, endFrames), time: dataStart?.time ?? time }, `Message ${m.size} bytes${subject}`, SMTP_NOTES.dataContent, {
      fields: { 'imf.from': m.headers.from ?? '', 'imf.subject': m.headers.subject ?? '', 'smtp.data.size': m.size },
      lines: [
        `Envelope: MAIL FROM <${envFrom ?? ''}> → RCPT TO ${envTo.map((r) => `<${r}>`).join(', ')}`,
        `Headers:  From: ${printable(m.headers.from ?? '(none)', 120)} / To: ${printable(m.headers.to ?? '(none)', 120)}`,
        ...(m.spoofed ? [`! ${SMTP_NOTES.spoofed}`] : []),
        ...(m.bcc.length ? [`! Bcc: ${m.bcc.join(', ')}. ${SMTP_NOTES.bcc}`] : []),
        how,
      ],
    });
    if (m.spoofed) out.diag('smtp.message.from_mismatch', 'note', `message ${summary.messages.length}: header From ${m.headers.from} is not the envelope sender <${envFrom}>`, m.frame);
    message = null;
    dataStart = null;
  }

  function onClientLine(line: StreamLine): void {
    const text = line.text;
    if (mode === 'data') {
      if (!message) message = new MessageCollector(ctx, line.frames[0] ?? 0);
      if (text === '.') {
        mode = 'command';
        pending.push({ verb: '.', arg: '', frame: line.frames[0] ?? 0 }); // the server's reply is for the message
        finishMessage(line.frames, line.time, SMTP_NOTES.dataEnd);
        return;
      }
      if (!dataStart) dataStart = spanOf(line);
      message.line(line.bytes[0] === 0x2e ? line.bytes.subarray(1) : line.bytes, line.frames);
      return;
    }
    if (mode === 'auth') {
      const word = text.split(' ')[0].toUpperCase();
      // A client that gives up on AUTH and sends a command instead (not base64): read it as a command.
      if (decodeBase64(text.trim()) !== null || text.trim() === '*' || !(word in SMTP_COMMANDS)) {
        onAuthAnswer(line);
        return;
      }
      mode = 'command';
      out.diag('smtp.auth.abandoned', 'note', `the client sent ${word} instead of an AUTH answer`, line.frames[0]);
    }
    const sp = text.indexOf(' ');
    const typed = sp < 0 ? text : text.slice(0, sp);
    const verb = typed.toUpperCase();
    const arg = sp < 0 ? '' : text.slice(sp + 1);
    if (!/^[A-Z]{3,12}$/.test(verb)) {
      out.diag('smtp.command.invalid', 'warn', `not an SMTP command: ${printable(text, 80)}`, line.frames[0]);
      out.event('client', 'data', spanOf(line), printable(text, 120), SMTP_NOTES.notCommand);
      return;
    }
    summary.commands++;
    const pipelined = pending.length > 0;
    pending.push({ verb, arg, frame: line.frames[0] ?? 0 });
    const fields: Record<string, string | number> = { 'smtp.req.command': typed };
    if (arg) fields['smtp.req.parameter'] = arg;
    let label = printable(text, 120);
    let explain = SMTP_COMMANDS[verb] ?? 'A command this dissector does not describe.';
    const lines: string[] = [];
    if ((verb === 'EHLO' || verb === 'HELO') && arg.trim()) {
      summary.helo = arg.trim();
      closeTransaction('reset', null); // a new greeting resets the envelope (RFC 5321 4.1.4)
    }
    if (verb === 'MAIL') {
      const p = parsePath(arg);
      closeTransaction('reset', null);
      mailFrom = p.address;
      txFrame = line.frames[0] ?? 0;
      for (const [k, v] of Object.entries(p.params)) lines.push(`${k}${v ? `=${v}` : ''}`);
    } else if (verb === 'RCPT') {
      const p = parsePath(arg);
      if (rcptTo.length < 10000) rcptTo.push(p.address);
    } else if (verb === 'RSET') {
      closeTransaction('reset', null);
    } else if (verb === 'AUTH') {
      const [mech, initial] = arg.split(/\s+/);
      authMech = (mech ?? '').toUpperCase();
      summary.authMechanism = authMech;
      authStep = 0;
      authUser = null;
      authFrame = line.frames[0] ?? 0;
      label = `AUTH ${authMech}${initial ? ' ' + initial : ''}`;
      if (initial && initial !== '=') {
        const decoded = authAnswer(initial, line);
        if (decoded) lines.push(decoded);
      }
    } else if (verb === 'BDAT') {
      const [n, last] = arg.split(/\s+/);
      const size = Number(n);
      if (/^\d+(\s+LAST)?\s*$/i.test(arg) && Number.isSafeInteger(size)) {
        bdatLeft = size;
        bdatLast = (last ?? '').toUpperCase() === 'LAST';
        if (!message) message = new MessageCollector(ctx, line.frames[0] ?? 0);
        if (!dataStart) dataStart = spanOf(line);
        mode = 'bdat';
      } else out.diag('smtp.bdat.syntax_invalid', 'warn', `BDAT ${printable(arg, 40)} is not "BDAT size [LAST]": no chunk follows it`, line.frames[0]);
    }
    if (pipelined) explain += ' ' + SMTP_NOTES.pipelined;
    // The message follows DATA once the server answers 354; a pipelining client may not wait, so
    // read what follows as the message unless the reply refuses it.
    if (verb === 'DATA') mode = 'data';
    out.event('client', 'command', spanOf(line), label, explain, { fields, lines: lines.length ? lines : undefined });
  }

  /** Decodes one base64 AUTH answer and records credentials; returns the line to show. */
  function authAnswer(b64: string, line: StreamLine): string | null {
    const raw = decodeBase64(b64);
    const frame = line.frames[0] ?? authFrame;
    if (!raw) {
      if (b64 === '*') return 'The client cancelled the authentication.';
      out.diag('smtp.auth.not_base64', 'warn', `AUTH answer is not base64: ${printable(b64, 40)}`, frame);
      return null;
    }
    const text = utf8(raw);
    if (authMech === 'PLAIN') {
      const [authzid, user, pass] = text.split('\0');
      out.credential({ frame, mechanism: 'AUTH PLAIN', username: user ?? '', password: pass ?? null });
      return `authzid “${printable(authzid ?? '')}”, username “${printable(user ?? '')}”, password “${printable(pass ?? '')}”`;
    }
    if (authMech === 'LOGIN') {
      if (authStep === 0) {
        authUser = text;
        authStep = 1;
        return `username “${printable(text)}”`;
      }
      out.credential({ frame, mechanism: 'AUTH LOGIN', username: authUser ?? '', password: text });
      authStep = 2;
      return `password “${printable(text)}”`;
    }
    if (authMech === 'CRAM-MD5') {
      const [user, digest] = text.split(' ');
      out.credential({ frame, mechanism: 'CRAM-MD5', username: user ?? '', password: null });
      return `username “${printable(user ?? '')}”, HMAC-MD5 ${printable(digest ?? '')}`;
    }
    return `decoded: ${printable(text)}`;
  }

  function onAuthAnswer(line: StreamLine): void {
    mode = 'command';
    const decoded = authAnswer(line.text.trim(), line);
    const explain =
      authMech === 'LOGIN' ? (authStep === 1 ? SMTP_NOTES.authLoginUser : SMTP_NOTES.authLoginPass) : authMech === 'PLAIN' ? SMTP_NOTES.authPlain : authMech === 'CRAM-MD5' ? SMTP_NOTES.cramMd5 : 'An answer to the server\'s AUTH challenge.';
    out.event('client', 'auth', spanOf(line), decoded ? `${printable(line.text, 60)} → ${decoded}` : printable(line.text, 100), explain, { lines: decoded ? [decoded] : undefined });
  }

  function onServerLine(line: StreamLine): void {
    const m = /^(\d{3})([ -]?)(.*)$/.exec(line.text);
    if (!m) {
      out.diag('smtp.reply.invalid', 'warn', `not an SMTP reply: ${printable(line.text, 80)}`, line.frames[0]);
      if (summary.replies === 0) stopped = true;
      return;
    }
    if (!reply) reply = { code: m[1], lines: [], frames: [], time: line.time };
    reply.lines.push(m[3]);
    for (const f of line.frames) if (!reply.frames.includes(f)) reply.frames.push(f);
    if (m[2] === '-' && reply.lines.length < 1000) return;
    const r = reply;
    reply = null;
    onReply(r);
  }

  function onReply(r: Reply): void {
    summary.replies++;
    const cmd = pending.shift() ?? null;
    const first = r.lines[0] ?? '';
    const enhanced = /^([245]\.\d{1,3}\.\d{1,3})\s/.exec(first)?.[1];
    const fields: Record<string, string | number> = { 'smtp.response.code': Number(r.code) };
    if (enhanced) fields['smtp.response.enhanced'] = enhanced;
    let explain = explainSmtpReply(r.code);
    const lines = r.lines.length > 1 ? r.lines.map((l) => `${r.code} ${printable(l, 200)}`) : undefined;
    let label = `${r.code} ${printable(first, 80)}${r.lines.length > 1 ? ` (+${r.lines.length - 1} lines)` : ''}`;
    if (cmd?.verb === 'EHLO' && r.code === '250') {
      summary.extensions = r.lines.slice(1).map((l) => l.trim()).slice(0, 100);
      label = `250 ${printable(first, 40)} — ${summary.extensions.length} extensions: ${summary.extensions.map((e) => e.split(' ')[0]).join(' ')}`;
      explain = 'The server accepts the greeting; the other lines list the ESMTP extensions it supports.';
    }
    if (r.code === '334') {
      const prompt = decodeBase64(first.trim());
      const decoded = prompt ? utf8(prompt) : null;
      if (decoded !== null) label = `334 ${first.trim()} → “${printable(decoded, 60)}”`;
      explain = authMech === 'CRAM-MD5' ? 'The CRAM-MD5 challenge (base64): the client must answer with a keyed hash of it.' : explain;
      out.event('server', 'auth', spanOf(r), label, explain, { fields, lines });
      mode = 'auth';
      pending.unshift({ verb: 'AUTH', arg: '', frame: r.frames[0] ?? 0 }); // the answer gets the next reply
      return;
    }
    if (cmd?.verb === 'AUTH' || (r.code === '235' || r.code === '535')) {
      if (r.code === '235') summary.authenticated = true;
      else if (r.code.startsWith('5') && cmd?.verb === 'AUTH') summary.authenticated = false;
    }
    const kind = cmd?.verb === 'AUTH' && (r.code === '235' || r.code.startsWith('5')) ? 'auth' : 'reply';
    if (cmd?.verb === 'DATA' && r.code !== '354' && mode === 'data') {
      // DATA refused: what the client sent after it (if anything) was not a message.
      mode = 'command';
      if (message && message.bytes > 0) out.diag('smtp.data.rejected', 'note', `DATA was refused (${r.code}) after the client had already sent ${message.bytes} bytes`, r.frames[0]);
      message = null;
      dataStart = null;
    }
    if ((cmd?.verb === 'DATA' || cmd?.verb === 'BDAT') && message === null && r.code.startsWith('2')) {
      // reply to the end of a message: nothing else to do
    }
    out.event('server', kind, spanOf(r), label, explain, { fields, lines });
    if (cmd?.verb === 'STARTTLS' && r.code === '220') {
      handedOver = true;
      host.switchTo(createTlsHandler(host, 'starttls'));
    }
  }

  function pumpBdat(final: boolean): boolean {
    const b = bufs.client;
    if (bdatLeft === 0) {
      if (bdatLast) finishMessage([], 0, 'BDAT LAST ends the message.');
      mode = 'command';
      return true;
    }
    const block = b.take(Math.min(bdatLeft, Math.max(1, b.available)), final);
    if (!block) return false;
    bdatLeft -= block.bytes.length;
    message?.add(block.bytes, block.frames);
    if (bdatLeft === 0) {
      if (bdatLast) finishMessage(block.frames, block.time, 'BDAT LAST ends the message.');
      mode = 'command';
    }
    return true;
  }

  function raw(dir: Direction, final: boolean): void {
    void final;
    const block = bufs[dir].takeAll();
    if (block) out.event(dir, 'data', spanOf(block), `${block.bytes.length} bytes not understood as SMTP`, 'After bytes that cannot be SMTP, the rest of this direction is shown as raw data.');
  }

  return {
    pump(dir, final) {
      for (;;) {
        if (stopped) return raw(dir, final);
        if (dir === 'client' && mode === 'bdat') {
          if (!pumpBdat(final)) return;
          continue;
        }
        if (dir === 'client' && mode === 'data' && message && dataStart) {
          // Inside a message: whole runs of ordinary lines go to the message at once.
          const run = bufs.client.takeCrlfLines();
          if (run) {
            message.add(run.block.bytes, run.block.frames);
            continue;
          }
        }
        const line = bufs[dir].nextLine(final);
        if (!line) return;
        if (line.overlong) out.diag('smtp.line.too_long', 'warn', `a ${dir} line longer than ${line.length} bytes was cut`, line.frames[0]);
        if (dir === 'client') onClientLine(line);
        else onServerLine(line);
        if (handedOver) return; // the TLS handler reads from here on (STARTTLS)
      }
    },
    gap(gap: StreamGap) {
      if (gap.dir === 'client' && mode === 'bdat') bdatLeft = Math.max(0, bdatLeft - gap.length);
      if (gap.dir === 'server') reply = null;
    },
    end() {
      if (reply) onReply(reply);
      reply = null;
      if (message) {
        finishMessage([], 0, 'The capture ends before the message was finished (no final dot).');
        out.diag('smtp.data.unterminated', 'warn', 'the connection ended inside DATA: the message has no final dot');
      }
      closeTransaction('open', null);
    },
  };
}

function mergeFrames(a: number[], b: number[]): number[] {
  return mergeFrameLists(a, b).filter((f) => f > 0);
}
