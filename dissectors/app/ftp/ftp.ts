/**
 * FTP control connections (RFC 959): commands and multi-line replies, USER/PASS/ACCT credentials,
 * PASV/EPSV/PORT/EPRT with the port arithmetic, each transfer command tied to the data connection it
 * opens (announced to the analyzer, which links them), AUTH TLS handing over to TLS.
 */
import type { StreamGap } from '../../tcp/types';
import { pumpLines, spanOf, type HandlerHost, type ProtocolHandler } from '../handler';
import { printable } from '../output';
import type { StreamLine } from '../stream-buffer';
import { awaitTlsOrClear, refusedUpgradeNote } from '../upgrades';
import { bareLfNote, bareLfSilenceNote, endsWithBareLf } from '../line-endings';
import { replyOutcome } from '../reply-outcome';
import type { Credential, DataConnectionExpectation, LadderEvent } from '../types';
import { explainFtpReply, explainNoDataConnection, explainUnknownFtpCommand, FTP_COMMANDS } from './explain';

const TRANSFER_COMMANDS = new Set(['LIST', 'NLST', 'MLSD', 'RETR', 'STOR', 'STOU', 'APPE']);

export interface FtpTransfer {
  command: string;
  argument: string;
  frame: number;
  mode: DataConnectionExpectation['mode'] | null;
  host: string | null;
  port: number | null;
  /** Id of the data connection that carried it (set when the analysis finishes). */
  dataConnection: number | null;
  /** The server's last reply to it (226 done, 425 no data connection, 550 no such file …), null before one. */
  reply?: number | null;
}

export interface FtpSummary {
  user: string | null;
  loggedIn: boolean;
  transfers: FtpTransfer[];
  commands: number;
}

interface Pending {
  verb: string;
  arg: string;
  /** The login PASS sent, whose outcome the reply decides (230 accepted, 530 refused). */
  credential: Credential | null;
  transfer: FtpTransfer | null;
  /** For a transfer command: the PASV/PORT announcement it used, or null when there was none. */
  announcement: DataConnectionExpectation | null;
  /** The command's line ended with LF only (nc without -C). */
  bareLf?: boolean;
  /** A reply (a 1yz preliminary one at least) came for it. */
  answered?: boolean;
  event?: LadderEvent | null;
  frame?: number;
}

interface Reply {
  code: string;
  lines: string[];
  frames: number[];
  time: number;
}

export function createFtpHandler(host: HandlerHost): ProtocolHandler {
  const { out, ctx } = host;
  const summary: FtpSummary = { user: null, loggedIn: false, transfers: [], commands: 0 };
  out.summary.ftp = summary;
  const pending: Pending[] = [];
  /** A transfer command has used a data connection announcement (each PASV/PORT serves one transfer). */
  let announcementUsed = false;
  let greeted = false;
  let reply: Reply | null = null;
  let lastData: DataConnectionExpectation | null = null;
  let handedOver = false;
  let bareLfSaid = false;
  /** The server answered a line that ended with LF only: it accepts them, so a later silence is not about line endings. */
  let bareLfAnswered = false;

  function expect(e: Omit<DataConnectionExpectation, 'controlConnection'>): void {
    lastData = { controlConnection: ctx.connection.id, ...e };
    ctx.expectDataConnection(lastData);
  }

  function onClient(line: StreamLine): void {
    const sp = line.text.indexOf(' ');
    const typed = sp < 0 ? line.text : line.text.slice(0, sp);
    const verb = typed.toUpperCase();
    const arg = sp < 0 ? '' : line.text.slice(sp + 1);
    summary.commands++;
    const frame = line.frames[0] ?? 0;
    const cmd: Pending = { verb, arg, credential: null, transfer: null, announcement: null, bareLf: endsWithBareLf(line), frame };
    pending.push(cmd);
    const lines: string[] = [];
    let activePort: number | null = null;
    if (verb === 'USER') summary.user = arg;
    if (verb === 'PASS') {
      out.credential({ frame, mechanism: 'USER/PASS', username: summary.user ?? '', password: arg, outcome: 'unknown' });
      cmd.credential = out.credentials[out.credentials.length - 1];
    }
    if (verb === 'PORT') {
      const p = parseHostPort(arg);
      if (p) {
        expect({ host: p.host, port: p.port, mode: 'PORT', frame });
        activePort = p.port;
        lines.push(`address ${p.host}, port ${p.p1}×256+${p.p2} = ${p.port}`);
      } else out.diag('ftp.port.invalid', 'warn', `PORT argument is not h1,h2,h3,h4,p1,p2: ${printable(arg, 60)}`, frame);
    }
    if (verb === 'EPRT') {
      const m = /^(.)(\d)\1([^|]+)\1(\d{1,5})\1$/.exec(arg.trim());
      if (m) {
        expect({ host: m[3], port: Number(m[4]), mode: 'EPRT', frame });
        activePort = Number(m[4]);
        lines.push(`address ${m[3]}, port ${m[4]}`);
      }
    }
    if (TRANSFER_COMMANDS.has(verb)) {
      // The announcement in force is this transfer's: its data connection learns what it carries.
      cmd.announcement = lastData;
      if (lastData) {
        lastData.command = verb;
        lastData.argument = arg;
      }
      if (summary.transfers.length < 10000) {
        cmd.transfer = { command: verb, argument: arg, frame, mode: lastData?.mode ?? null, host: lastData?.host ?? null, port: lastData?.port ?? null, dataConnection: null, reply: null };
        summary.transfers.push(cmd.transfer);
      }
      lastData = null;
    }
    if (cmd.bareLf && !bareLfSaid) {
      bareLfSaid = true;
      lines.push(`! ${bareLfNote('FTP')}`);
      out.diag('ftp.line.bare_lf', 'warn', `lines end with LF only, not CR LF: ${bareLfNote('FTP')}`, frame);
    } else if (cmd.bareLf) lines.push('(this line also ends with LF only)');
    // Lines that carry a credential in clear are drawn as 'auth' (red in the ladder).
    cmd.event = out.event('client', verb === 'USER' || verb === 'PASS' || verb === 'ACCT' ? 'auth' : 'command', spanOf(line), printable(line.text, 120), FTP_COMMANDS[verb] ?? 'A command this dissector does not describe.', {
      fields: { 'ftp.request.command': typed, ...(arg ? { 'ftp.request.arg': arg } : {}), ...(activePort !== null ? { 'ftp.active.port': activePort } : {}) },
      lines: lines.length ? lines : undefined,
    });
  }

  function onServer(line: StreamLine): void {
    if (reply) {
      reply.lines.push(line.text);
      for (const f of line.frames) if (!reply.frames.includes(f)) reply.frames.push(f);
      if (line.text.startsWith(reply.code + ' ') || line.text === reply.code || reply.lines.length >= 1000) {
        const r = reply;
        reply = null;
        onReply(r);
      }
      return;
    }
    const m = /^(\d{3})([ -]?)/.exec(line.text);
    if (!m) {
      out.diag('ftp.reply.invalid', 'warn', `not an FTP reply: ${printable(line.text, 80)}`, line.frames[0]);
      out.event('server', 'data', spanOf(line), printable(line.text, 80), 'A line that is not an FTP reply.');
      return;
    }
    const r: Reply = { code: m[1], lines: [line.text], frames: [...line.frames], time: line.time };
    if (m[2] === '-') reply = r;
    else onReply(r);
  }

  function onReply(r: Reply): void {
    // A 1yz reply ("positive preliminary") is followed by another reply to the same command.
    const cmd = greeted ? ((r.code[0] === '1' ? pending[0] : pending.shift()) ?? null) : null;
    greeted = true;
    if (cmd?.bareLf) bareLfAnswered = true;
    if (cmd) cmd.answered = true;
    const first = r.lines[0];
    const fields: Record<string, string | number> = { 'ftp.response.code': Number(r.code) };
    let explain = explainFtpReply(r.code);
    const frame0 = r.frames[0] ?? 0;
    if (cmd?.credential && r.code[0] !== '1' && r.code !== '331' && r.code !== '332') cmd.credential.outcome = r.code[0] === '2' ? 'accepted' : 'refused';
    if (cmd?.transfer) cmd.transfer.reply = Number(r.code);
    if (cmd && TRANSFER_COMMANDS.has(cmd.verb) && cmd.announcement) {
      if (r.code[0] === '1' || r.code[0] === '2') announcementUsed = true;
      // Refused before the transfer started (550 no such file …): servers keep the data port for
      // the next transfer command, unless a new PASV/PORT came since. A 425 means the data connection failed.
      else if (r.code !== '425' && lastData === null) lastData = cmd.announcement;
    }
    if (r.code === '530' && cmd && (cmd.verb === 'PASS' || cmd.verb === 'USER')) {
      explain = `Login refused (530): the user name or the password is wrong, or this user may not log in here. Send USER and PASS again (some servers close the connection after a few failures).`;
      out.diag('ftp.login.refused', 'warn', `${cmd.verb}: ${explain}`, frame0);
    } else if (cmd?.verb === 'AUTH' && /^[45]/.test(r.code)) {
      explain = refusedUpgradeNote(`AUTH ${printable(cmd.arg, 20)}`.trim(), 'FTP', r.code);
      out.diag('ftp.auth_tls.refused', 'note', explain, frame0);
    } else if (r.code === '530' && cmd) {
      explain = `${cmd.verb} needs a login first (530 Not logged in): send USER and PASS, wait for 230, then repeat ${cmd.verb}.`;
      out.diag('ftp.command.before_login', 'warn', explain, frame0);
    }
    if ((r.code === '500' || r.code === '502') && cmd && !FTP_COMMANDS[cmd.verb]) {
      const why = explainUnknownFtpCommand(printable(cmd.verb, 40));
      explain = why;
      out.diag('ftp.command.unknown', 'warn', why, frame0);
    }
    if (r.code === '425') {
      const why = explainNoDataConnection(cmd?.announcement ?? null, announcementUsed, cmd?.verb ?? '');
      explain = why.explain;
      out.diag(why.code, 'warn', why.explain, frame0);
    }
    if (r.code === '200' && (cmd?.verb === 'PORT' || cmd?.verb === 'EPRT')) {
      explain = 'The server noted the address and port (active mode): it will connect back to them when a transfer command (LIST, RETR, STOR …) comes.';
    }
    if (r.code === '150' && cmd?.transfer) {
      const size = /\((\d+) bytes\)/.exec(first)?.[1];
      if (size) explain += ` Here: ${size} bytes for ${printable(cmd.transfer.argument, 80) || 'this transfer'}.`;
    }
    const lines: string[] = r.lines.length > 1 ? r.lines.map((l) => printable(l, 200)) : [];
    const frame = r.frames[0] ?? 0;
    if (r.code === '227') {
      const p = parseHostPort(/\(?(\d+,\d+,\d+,\d+,\d+,\d+)\)?/.exec(first)?.[1] ?? '');
      if (p) {
        expect({ host: p.host, port: p.port, mode: 'PASV', frame });
        fields['ftp.passive.port'] = p.port;
        lines.push(`address ${p.host}, port ${p.p1}×256+${p.p2} = ${p.port}`);
        explain += ` Here: ${p.p1}×256+${p.p2} = ${p.port}.`;
      } else out.diag('ftp.pasv.invalid', 'warn', `227 reply without h1,h2,h3,h4,p1,p2: ${printable(first, 60)}`, frame);
    }
    if (r.code === '229') {
      const m = /\((.)\1\1(\d{1,5})\1\)/.exec(first);
      if (m) {
        expect({ host: null, port: Number(m[2]), mode: 'EPSV', frame });
        fields['ftp.epsv.port'] = Number(m[2]);
        lines.push(`port ${m[2]} on the server's address`);
      }
    }
    if (r.code === '230') summary.loggedIn = true;
    const port = fields['ftp.passive.port'] ?? fields['ftp.epsv.port'];
    const label = printable(first, 120) + (r.lines.length > 1 ? ` (+${r.lines.length - 1} lines)` : '') + (port !== undefined ? ` → data port ${port}` : '');
    const e = out.event('server', cmd?.verb === 'PASS' ? 'auth' : 'reply', spanOf(r), label, explain, {
      fields,
      lines: lines.length ? lines : undefined,
    });
    const outcome = replyOutcome(r.code);
    if (e && outcome) e.outcome = outcome;
    if (cmd?.verb === 'AUTH' && r.code === '234') {
      handedOver = true;
      host.switchTo(
        awaitTlsOrClear(host, {
          upgrade: 'auth-tls',
          command: `AUTH ${printable(cmd.arg, 20)}`.trim(),
          protocol: 'FTP',
          replyLike: (b) => /^\d{3}[ -]/.test(String.fromCharCode(b[0], b[1], b[2], b[3])),
          resume: () => {
            handedOver = false;
            return handler;
          },
        }),
      );
    }
  }

  const handler: ProtocolHandler = {
    pump(dir, final) {
      pumpLines(host, dir, final, 'ftp', dir === 'client' ? onClient : onServer, () => handedOver);
    },
    gap(gap: StreamGap) {
      if (gap.dir === 'server') reply = null;
    },
    end() {
      if (reply) onReply(reply);
      reply = null;
      // Commands typed with LF-only endings that never got an answer: a strict server is still waiting for CR LF.
      const firstLf = bareLfAnswered ? undefined : pending.find((p) => p.bareLf && p.event && !p.answered);
      if (firstLf?.event && !handedOver) {
        const note = bareLfSilenceNote('FTP', pending.length - pending.indexOf(firstLf));
        firstLf.event.lines = [...(firstLf.event.lines ?? []), `! ${note}`];
        out.diag('ftp.reply.missing_bare_lf', 'warn', note, firstLf.frame);
      }
    },
  };
  return handler;
}

function parseHostPort(arg: string): { host: string; port: number; p1: number; p2: number } | null {
  const n = arg.split(',').map((x) => Number(x.trim()));
  if (n.length !== 6 || n.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return null;
  return { host: n.slice(0, 4).join('.'), port: n[4] * 256 + n[5], p1: n[4], p2: n[5] };
}
