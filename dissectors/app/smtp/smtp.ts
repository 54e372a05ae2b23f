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
import { bareLfNote, bareLfSilenceNote, endsWithBareLf } from '../line-endings';
import { FROM_NOTES } from '../mail/lesson-checks';
import { replyOutcome } from '../reply-outcome';
import { clearAfterUpgradeNote, refusedUpgradeNote, startsLikeTls } from '../upgrades';
import { hasTelnetCommands, scanTelnet, TELNET_NOTE } from '../telnet';
import type { Credential, LadderEvent } from '../types';
import { explainSmtpReply, SMTP_COMMANDS, SMTP_NOTES, SMTP_REPLY_FOR } from './explain';
import {
  dataOutOfSequence,
  greetingRefused,
  isKnownVerb,
  pathMistake,
  unknownCommand,
  type EnvelopeState,
  type Mistake,
} from './mistakes';
import { enhancedCodeOf, explainEnhancedCode } from './reply-codes';

interface PendingCommand {
  verb: string;
  arg: string;
  frame: number;
  /** The command's ladder event (null for the AUTH continuation placeholder). */
  event: LadderEvent | null;
  /** The line ended with LF only. */
  bareLf: boolean;
  /** The first word as typed (verb is it upper-cased). */
  typed?: string;
  /** Sent while an earlier command still waited for its reply: pipelined if that reply comes. */
  overlapping: boolean;
  /** The line carried telnet negotiation bytes before the typed text. */
  telnet: boolean;
  /** The envelope when the command was sent (DATA: to explain a 503). */
  state?: EnvelopeState;
  /** An empty line: most servers answer it with 500, some ignore it, so it takes a reply only if one of 500–502 comes. */
  optional?: boolean;
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
  const summary: SmtpSummary = {
    helo: null,
    transactions: [],
    extensions: [],
    authMechanism: null,
    authenticated: null,
    messages: [],
    commands: 0,
    replies: 0,
  };
  out.summary.smtp = summary;
  const pending: PendingCommand[] = [];
  let mode: ClientMode = 'command';
  let authMech: string | null = null;
  let authStep = 0;
  let authUser: string | null = null;
  let authFrame = 0;
  /** Credentials sent in the AUTH exchange in progress: the server's final answer says whether they worked. */
  let authCredentials: Credential[] = [];
  let mailFrom: string | null = null;
  let rcptTo: string[] = [];
  let txFrame = 0;
  /** An EHLO was answered 250 (so the extension list is known). */
  let ehloAnswered = false;
  let bareLfSaid = false;
  /** The server said 220 to STARTTLS: the next client bytes decide (TLS handshake or typed text). */
  let tlsPending = false;

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

  /** Puts a mistake on its event (a `!` line) and in the diagnostics. */
  function report(m: Mistake, event: LadderEvent | null, frame: number | undefined): void {
    out.diag(m.code, m.severity, m.text, frame);
    if (event) event.lines = [...(event.lines ?? []), `! ${m.text}`];
  }

  function finishMessage(
    endFrames: number[],
    time: number,
    how: string,
    dataNotes: string[] = [],
  ): LadderEvent | null {
    if (!message) return null;
    const m = message.finish(envelope(), endFrames[endFrames.length - 1] ?? message.lastFrame);
    if (summary.messages.length < MAX_MESSAGES) {
      summary.messages.push(m);
      ctx.messageComplete?.(m);
    }
    const envFrom = mailFrom;
    const envTo = [...rcptTo];
    closeTransaction('message', summary.messages.length - 1);
    const n = summary.messages.length;
    const subject = m.headers.subject ? ` “${printable(m.headers.subject, 60)}”` : '';
    const e = out.event(
      'client',
      'data',
      { frames: mergeFrames(message.frames, endFrames), time: dataStart?.time ?? time },
      `Message ${m.size} bytes${subject}`,
      SMTP_NOTES.dataContent,
      {
        fields: {
          'imf.from': m.headers.from ?? '',
          'imf.subject': m.headers.subject ?? '',
          'smtp.data.size': m.size,
        },
        lines: [
          `Envelope: MAIL FROM <${envFrom ?? ''}> → RCPT TO ${envTo.map((r) => `<${r}>`).join(', ')}`,
          `Headers:  From: ${printable(m.headers.from ?? '(none)', 120)} / To: ${printable(m.headers.to ?? '(none)', 120)}`,
          ...(m.spoofed ? [`! ${m.fromDomainMismatch ? FROM_NOTES.unrelated : FROM_NOTES.differs}`] : []),
          ...(m.bcc.length ? [`! Bcc: ${m.bcc.join(', ')}. ${SMTP_NOTES.bcc}`] : []),
          ...(m.mimeHeadersInBody ? [`! ${FROM_NOTES.mimeInBody}`] : []),
          ...dataNotes,
          how,
        ],
      },
    );
    if (m.spoofed)
      out.diag(
        'smtp.message.from_mismatch',
        'note',
        `message ${n}: the header From ${printable(m.headers.from ?? '', 120)} is not the envelope sender <${printable(envFrom ?? '', 120)}> (normal for mailing lists and bounce handling; also how spoofed mail looks)`,
        m.frame,
      );
    if (m.fromDomainMismatch)
      out.diag(
        'smtp.message.from_domain_mismatch',
        'note',
        `message ${n}: the From: domain is unrelated to the envelope sender's domain: a possible spoof, or mail sent on someone's behalf (a mailing list, a service)`,
        m.frame,
      );
    if (m.mimeHeadersInBody)
      out.diag(
        'smtp.message.mime_headers_in_body',
        'warn',
        `message ${n}: ${FROM_NOTES.mimeInBody}`,
        m.frame,
      );
    message = null;
    dataStart = null;
    return e;
  }

  /** Notes on the lines of the message being typed (a dot not alone, a dot not doubled), said on the message's event. */
  let dataNotes: string[] = [];

  function onDataLine(line: StreamLine): void {
    const text = line.text;
    if (!message) message = new MessageCollector(ctx, line.frames[0] ?? 0);
    if (text === '.') {
      mode = 'command';
      const bareLf = endsWithBareLf(line);
      const notes = dataNotes;
      dataNotes = [];
      if (bareLf && !bareLfSaid) {
        bareLfSaid = true;
        notes.push(`! ${bareLfNote('SMTP')}`);
        out.diag(
          'smtp.line.bare_lf',
          'warn',
          `lines end with LF only, not CR LF: ${bareLfNote('SMTP')}`,
          line.frames[0],
        );
      }
      const e = finishMessage(line.frames, line.time, SMTP_NOTES.dataEnd, notes);
      // the server's reply is for the message
      pending.push({
        verb: '.',
        arg: '',
        frame: line.frames[0] ?? 0,
        event: e,
        bareLf,
        overlapping: pending.length > 0,
        telnet: false,
      });
      return;
    }
    if (!dataStart) dataStart = spanOf(line);
    if (text.trim() === '.' && dataNotes.length < 20) {
      dataNotes.push(`! “${printable(text, 40)}”: ${SMTP_NOTES.dotNotAlone}`);
      out.diag('smtp.data.dot_not_alone', 'warn', SMTP_NOTES.dotNotAlone, line.frames[0]);
    } else if (text.length > 1 && text[0] === '.' && text[1] !== '.' && dataNotes.length < 20) {
      dataNotes.push(`! “${printable(text, 40)}”: ${SMTP_NOTES.dotNotStuffed}`);
      out.diag(
        'smtp.data.dot_not_stuffed',
        'note',
        `a message line starts with a single dot (“${printable(text, 40)}”): the server removes it. ${SMTP_NOTES.dotNotStuffed}`,
        line.frames[0],
      );
    }
    message.line(line.bytes[0] === 0x2e ? line.bytes.subarray(1) : line.bytes, line.frames);
  }

  function onClientLine(line: StreamLine): void {
    if (mode === 'data') return onDataLine(line);
    let text = line.text;
    if (mode === 'auth') {
      const word = text.split(' ')[0].toUpperCase();
      // A client that gives up on AUTH and sends a command instead (not base64): read it as a command.
      if (decodeBase64(text.trim()) !== null || text.trim() === '*' || !(word in SMTP_COMMANDS)) {
        onAuthAnswer(line);
        return;
      }
      mode = 'command';
      out.diag(
        'smtp.auth.abandoned',
        'note',
        `the client sent ${word} instead of an AUTH answer`,
        line.frames[0],
      );
    }
    let telnetLines: string[] = [];
    if (hasTelnetCommands(line.bytes)) {
      const scan = scanTelnet(line.bytes, 'client');
      telnetLines = scan.commands;
      text = String.fromCharCode(...scan.text.subarray(0, 4096));
      out.diag(
        'smtp.telnet.negotiation',
        'note',
        `telnet option negotiation before the typed text: ${scan.commands.slice(0, 4).join('; ')}`,
        line.frames[0],
      );
      out.event(
        'client',
        'note',
        spanOf(line),
        `telnet option negotiation (${scan.commands.length} ${scan.commands.length === 1 ? 'command' : 'commands'})`,
        TELNET_NOTE,
        { lines: scan.commands },
      );
      if (text === '') return; // only negotiation: the server does not answer it as a line
    }
    const sp = text.indexOf(' ');
    const typed = sp < 0 ? text : text.slice(0, sp);
    const verb = typed.toUpperCase();
    const arg = sp < 0 ? '' : text.slice(sp + 1);
    const bareLf = endsWithBareLf(line);
    const wordLike = /^[A-Z]{3,12}$/.test(verb);
    if (!wordLike)
      out.diag(
        'smtp.command.invalid',
        'warn',
        text === ''
          ? 'an empty line where a command was expected'
          : `not an SMTP command: ${printable(text, 80)}`,
        line.frames[0],
      );
    else summary.commands++;
    const overlapping = pending.length > 0;
    const cmd: PendingCommand = {
      verb,
      arg,
      frame: line.frames[0] ?? 0,
      event: null,
      bareLf,
      typed,
      overlapping,
      telnet: telnetLines.length > 0,
      optional: text === '',
    };
    pending.push(cmd);
    // Filter fields only for what looks like a command (as tshark): not for binary noise or message text.
    const fields: Record<string, string | number> = {};
    if (wordLike) fields['smtp.req.command'] = typed;
    if (wordLike && arg) fields['smtp.req.parameter'] = arg;
    let label = text === '' ? '(empty line)' : printable(text, 120);
    const explain =
      wordLike && verb in SMTP_COMMANDS
        ? SMTP_COMMANDS[verb]
        : isKnownVerb(verb)
          ? 'A command this dissector does not describe.'
          : SMTP_NOTES.notCommand;
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
    } else if (verb === 'DATA') {
      cmd.state = {
        mailFrom: mailFrom !== null,
        recipients: rcptTo.length,
        messagesSent: summary.messages.length,
      };
    } else if (verb === 'AUTH') {
      const [mech, initial] = arg.split(/\s+/);
      authMech = (mech ?? '').toUpperCase();
      summary.authMechanism = authMech;
      authStep = 0;
      authUser = null;
      authCredentials = [];
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
      } else
        out.diag(
          'smtp.bdat.syntax_invalid',
          'warn',
          `BDAT ${printable(arg, 40)} is not "BDAT size [LAST]": no chunk follows it`,
          line.frames[0],
        );
    }
    if (telnetLines.length)
      lines.push('(telnet negotiation bytes came before this text on the same line: see the note before it)');
    if (bareLf && !bareLfSaid) {
      bareLfSaid = true;
      lines.push(`! ${bareLfNote('SMTP')}`);
      out.diag(
        'smtp.line.bare_lf',
        'warn',
        `lines end with LF only, not CR LF: ${bareLfNote('SMTP')}`,
        line.frames[0],
      );
    } else if (bareLf) lines.push('(this line also ends with LF only)');
    // The message follows DATA once the server answers 354; a pipelining client may not wait, so
    // read what follows as the message unless the reply refuses it.
    if (verb === 'DATA') mode = 'data';
    cmd.event = out.event('client', 'command', spanOf(line), label, explain, {
      fields: wordLike ? fields : undefined,
      lines: lines.length ? lines : undefined,
    });
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
    const credential = (c: Omit<Credential, 'connection' | 'protocol'>) => {
      out.credential({ ...c, outcome: 'unknown' });
      const kept = out.credentials[out.credentials.length - 1];
      if (kept) authCredentials.push(kept);
    };
    if (authMech === 'PLAIN') {
      const [authzid, user, pass] = text.split('\0');
      credential({ frame, mechanism: 'AUTH PLAIN', username: user ?? '', password: pass ?? null });
      return `authzid “${printable(authzid ?? '')}”, username “${printable(user ?? '')}”, password “${printable(pass ?? '')}”`;
    }
    if (authMech === 'LOGIN') {
      if (authStep === 0) {
        authUser = text;
        authStep = 1;
        return `username “${printable(text)}”`;
      }
      credential({ frame, mechanism: 'AUTH LOGIN', username: authUser ?? '', password: text });
      authStep = 2;
      return `password “${printable(text)}”`;
    }
    if (authMech === 'CRAM-MD5') {
      const [user, digest] = text.split(' ');
      credential({ frame, mechanism: 'CRAM-MD5', username: user ?? '', password: null });
      return `username “${printable(user ?? '')}”, HMAC-MD5 ${printable(digest ?? '')}`;
    }
    return `decoded: ${printable(text)}`;
  }

  function onAuthAnswer(line: StreamLine): void {
    mode = 'command';
    const decoded = authAnswer(line.text.trim(), line);
    const explain =
      authMech === 'LOGIN'
        ? authStep === 1
          ? SMTP_NOTES.authLoginUser
          : SMTP_NOTES.authLoginPass
        : authMech === 'PLAIN'
          ? SMTP_NOTES.authPlain
          : authMech === 'CRAM-MD5'
            ? SMTP_NOTES.cramMd5
            : "An answer to the server's AUTH challenge.";
    out.event(
      'client',
      'auth',
      spanOf(line),
      decoded ? `${printable(line.text, 60)} → ${decoded}` : printable(line.text, 100),
      explain,
      { lines: decoded ? [decoded] : undefined },
    );
  }

  function onServerLine(line: StreamLine): void {
    const m = /^(\d{3})([ -]?)(.*)$/.exec(line.text);
    if (!m) {
      out.diag(
        'smtp.reply.invalid',
        'warn',
        `not an SMTP reply: ${printable(line.text, 80)}`,
        line.frames[0],
      );
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

  /** Commands still waiting that were sent before this reply arrived really overlapped it: say so on them. */
  function confirmPipelining(): void {
    const said = ehloAnswered
      ? summary.extensions.some((e) => /^PIPELINING\b/i.test(e))
        ? SMTP_NOTES.pipeliningAdvertised
        : SMTP_NOTES.pipeliningNotAdvertised
      : SMTP_NOTES.pipeliningUnknown;
    for (const p of pending) {
      if (!p.overlapping || !p.event) continue;
      p.overlapping = false;
      p.event.explain += ` ${SMTP_NOTES.pipelined} ${said}`;
    }
  }

  function onReply(r: Reply): void {
    summary.replies++;
    // Empty lines that some servers ignore do not take a reply that is not a syntax error.
    while (pending[0]?.optional && !/^50[0-2]$/.test(r.code)) pending.shift();
    const cmd = pending.shift() ?? null;
    confirmPipelining();
    const first = r.lines[0] ?? '';
    const enhanced = enhancedCodeOf(first);
    const fields: Record<string, string | number> = { 'smtp.response.code': Number(r.code) };
    if (enhanced) fields['smtp.response.enhanced'] = enhanced;
    const outcome = replyOutcome(r.code);
    let explain = (cmd && SMTP_REPLY_FOR[r.code]?.[cmd.verb]) ?? explainSmtpReply(r.code);
    const enhancedText = enhanced ? explainEnhancedCode(enhanced) : null;
    let lines: string[] | undefined =
      r.lines.length > 1 ? r.lines.map((l) => `${r.code} ${printable(l, 200)}`) : undefined;
    if (enhancedText) lines = [...(lines ?? []), `Enhanced status code ${enhancedText} (RFC 3463).`];
    let label = `${r.code} ${printable(first, 80)}${r.lines.length > 1 ? ` (+${r.lines.length - 1} lines)` : ''}`;
    if (cmd?.verb === 'EHLO') {
      if (r.code === '250') {
        ehloAnswered = true;
        summary.extensions = r.lines
          .slice(1)
          .map((l) => l.trim())
          .filter(Boolean)
          .slice(0, 100);
        const names = summary.extensions.map((e) => e.split(' ')[0]);
        // The first line is the server's name, then optional greeting text (RFC 5321 §4.1.1.1): the label shows the name.
        const name = printable(first.trim().split(' ')[0] ?? '', 60);
        const domain = name ? `${name} ` : '';
        label = names.length
          ? `250 ${domain}— ${names.length} ${names.length === 1 ? 'extension' : 'extensions'}: ${names.join(' ')}`
          : `250 ${domain}— no extensions listed`;
        explain = names.length ? SMTP_NOTES.ehloExtensions : SMTP_NOTES.ehloNoExtensions;
      } else explain = `${explain} ${SMTP_NOTES.ehloRefused}`;
    }
    if (r.code === '334') {
      const prompt = decodeBase64(first.trim());
      const decoded = prompt ? utf8(prompt) : null;
      if (decoded !== null) label = `334 ${first.trim()} → “${printable(decoded, 60)}”`;
      explain =
        authMech === 'CRAM-MD5'
          ? 'The CRAM-MD5 challenge (base64): the client must answer with a keyed hash of it.'
          : explain;
      const e = out.event('server', 'auth', spanOf(r), label, explain, { fields, lines });
      if (e && outcome) e.outcome = outcome;
      mode = 'auth';
      pending.unshift({
        verb: 'AUTH',
        arg: '',
        frame: r.frames[0] ?? 0,
        event: null,
        bareLf: false,
        overlapping: false,
        telnet: false,
      }); // the answer gets the next reply
      return;
    }
    if (cmd?.verb === 'AUTH' || r.code === '235' || r.code === '535') {
      if (r.code === '235') summary.authenticated = true;
      else if (r.code.startsWith('5') && cmd?.verb === 'AUTH') summary.authenticated = false;
    }
    if (cmd?.verb === 'AUTH' && authCredentials.length) {
      const result = r.code.startsWith('2') ? 'accepted' : /^[45]/.test(r.code) ? 'refused' : null;
      if (result) {
        for (const c of authCredentials) c.outcome = result;
        lines = [
          ...(lines ?? []),
          result === 'accepted'
            ? 'The login worked: these credentials are accepted.'
            : 'The login failed: these credentials were refused.',
        ];
        authCredentials = [];
      }
    }
    const kind = cmd?.verb === 'AUTH' && (r.code === '235' || r.code.startsWith('5')) ? 'auth' : 'reply';
    if (cmd?.verb === 'DATA' && r.code !== '354' && mode === 'data') {
      // DATA refused: what the client sent after it (if anything) was not a message.
      mode = 'command';
      if (message && message.bytes > 0)
        out.diag(
          'smtp.data.rejected',
          'note',
          `DATA was refused (${r.code}) after the client had already sent ${message.bytes} bytes`,
          r.frames[0],
        );
      message = null;
      dataStart = null;
    }
    if (cmd?.verb === 'STARTTLS' && /^[45]/.test(r.code)) {
      const note = refusedUpgradeNote('STARTTLS', 'SMTP', r.code);
      lines = [...(lines ?? []), note];
      out.diag('smtp.starttls.refused', 'note', note, r.frames[0]);
    }
    const e = out.event('server', kind, spanOf(r), label, explain, { fields, lines });
    if (e && outcome) e.outcome = outcome;
    if (cmd) diagnose(cmd, r.code, e, r.frames[0]);
    if (cmd?.verb === 'STARTTLS' && r.code === '220') tlsPending = true;
  }

  /** The lesson's mistakes, recognised once the server has answered. */
  function diagnose(
    cmd: PendingCommand,
    code: string,
    e: LadderEvent | null,
    frame: number | undefined,
  ): void {
    const say = (m: Mistake | null) => {
      if (!m) return;
      report(m, e, frame);
      if (cmd.event) cmd.event.lines = [...(cmd.event.lines ?? []), `! ${m.text}`];
    };
    if (cmd.telnet && code.startsWith('5')) {
      say({
        code: 'smtp.telnet.refused_line',
        severity: 'warn',
        text: `The server refused this line (${code}) because telnet's negotiation bytes came before the typed command on it. Type the command again.`,
      });
      return;
    }
    if (cmd.verb === '.' || cmd.verb === 'AUTH') return;
    // A word the server accepted is a command it knows (an extension): only a refusal is a mistake.
    if (!isKnownVerb(cmd.verb))
      return code.startsWith('5') ? say(unknownCommand(rawTyped(cmd), code)) : undefined;
    if (cmd.verb === 'MAIL' || cmd.verb === 'RCPT') return say(pathMistake(cmd.verb, cmd.arg, code));
    if (cmd.verb === 'DATA' && cmd.state) return say(dataOutOfSequence(cmd.state, code));
    if (cmd.verb === 'HELO' || cmd.verb === 'EHLO') return say(greetingRefused(cmd.verb, code));
  }

  /** The word the client typed for a command, as it was typed. */
  function rawTyped(cmd: PendingCommand): string {
    return cmd.typed ?? cmd.verb;
  }

  /** After STARTTLS was accepted: a TLS handshake hands over to TLS; typed text is explained. */
  function decideAfterStarttls(final: boolean): 'tls' | 'clear' | 'typed' | 'wait' {
    const client = bufs.client.peek();
    const server = bufs.server.peek();
    if (startsLikeTls(client) || (server.length > 0 && !isReplyText(server))) {
      if (!startsLikeTls(client) && server.length < 4 && !final) return 'wait';
      tlsPending = false;
      handedOver = true;
      host.switchTo(createTlsHandler(host, 'starttls'));
      return 'tls';
    }
    if (server.length >= 4) {
      // Both sides went on in SMTP: a capture of an already-decrypted session.
      tlsPending = false;
      clearNote = clearAfterUpgradeNote('STARTTLS', 'SMTP');
      return 'clear';
    }
    if (client.length === 0 || !final) return 'wait';
    const b = bufs.client;
    tlsPending = false;
    stopped = true;
    const line = b.nextLine(true);
    if (line) {
      out.diag(
        'smtp.starttls.plaintext',
        'warn',
        `the client sent text after STARTTLS instead of a TLS handshake: ${printable(line.text, 60)}`,
        line.frames[0],
      );
      out.event(
        'client',
        'data',
        spanOf(line),
        `${printable(line.text, 80)} (typed text where a TLS handshake was expected)`,
        SMTP_NOTES.starttlsTyped,
      );
    }
    return 'typed';
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
    if (!block) return;
    if (stoppedByStarttls)
      out.event(
        dir,
        'data',
        spanOf(block),
        `${block.bytes.length} bytes after the failed STARTTLS`,
        dir === 'server' ? SMTP_NOTES.afterStarttlsServer : SMTP_NOTES.starttlsTyped,
      );
    else
      out.event(
        dir,
        'data',
        spanOf(block),
        `${block.bytes.length} bytes not understood as SMTP`,
        'After bytes that cannot be SMTP, the rest of this direction is shown as raw data.',
      );
  }
  let stoppedByStarttls = false;
  /** Set when both sides went on in clear text after STARTTLS: said on the next event. */
  let clearNote: string | null = null;

  const handler: ProtocolHandler = {
    pump(dir, final) {
      for (;;) {
        if (tlsPending) {
          const next = decideAfterStarttls(final);
          if (next === 'tls' || next === 'wait') return;
          if (next === 'typed') stoppedByStarttls = true;
          // Clear text on both sides: the client's commands first, so that the replies pair with them.
          else if (dir === 'server') handler.pump('client', final);
        }
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
        if (line.overlong)
          out.diag(
            'smtp.line.too_long',
            'warn',
            `a ${dir} line longer than ${line.length} bytes was cut`,
            line.frames[0],
          );
        const before = out.ladder.length;
        if (dir === 'client') onClientLine(line);
        else onServerLine(line);
        if (clearNote && out.ladder[before]) {
          const e = out.ladder[before];
          e.lines = [...(e.lines ?? []), `! ${clearNote}`];
          out.diag('tls.upgrade.not_tls', 'note', clearNote, e.frame);
          clearNote = null;
        }
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
        finishMessage(
          [],
          0,
          'The capture ends before the message was finished: no line with only a dot ended it, so the server never accepted it.',
        );
        out.diag(
          'smtp.data.unterminated',
          'warn',
          'the connection ended inside DATA: the message has no final line with only a dot, so the server did not accept it',
        );
      }
      closeTransaction('open', null);
      explainSilence();
    },
  };
  return handler;

  /** Commands sent with LF-only line endings that the server never answered: say why. */
  function explainSilence(): void {
    const unanswered = pending.filter((p) => p.event);
    const firstLf = unanswered.find((p) => p.bareLf);
    if (!firstLf?.event) return;
    if (firstLf.verb === '.') {
      firstLf.event.lines = [...(firstLf.event.lines ?? []), `! ${SMTP_NOTES.dotSilence}`];
      for (const p of unanswered.slice(unanswered.indexOf(firstLf) + 1))
        if (p.event) p.event.lines = [...(p.event.lines ?? []), `! ${SMTP_NOTES.afterUnendedDot}`];
      out.diag('smtp.reply.missing_bare_lf', 'warn', SMTP_NOTES.dotSilence, firstLf.frame);
      return;
    }
    const n = unanswered.length - unanswered.indexOf(firstLf);
    const note = bareLfSilenceNote('SMTP', n);
    firstLf.event.lines = [...(firstLf.event.lines ?? []), `! ${note}`];
    out.diag('smtp.reply.missing_bare_lf', 'warn', note, firstLf.frame);
  }
}

function mergeFrames(a: number[], b: number[]): number[] {
  return mergeFrameLists(a, b).filter((f) => f > 0);
}

/** Whether bytes start like an SMTP reply (three digits, then a space, a hyphen or the line end). */
function isReplyText(b: Uint8Array): boolean {
  for (let i = 0; i < Math.min(3, b.length); i++) if (b[i] < 0x30 || b[i] > 0x39) return false;
  return b.length < 4 || b[3] === 0x20 || b[3] === 0x2d || b[3] === 0x0d || b[3] === 0x0a;
}
