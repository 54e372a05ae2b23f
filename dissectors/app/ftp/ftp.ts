/**
 * FTP control connections (RFC 959): commands and multi-line replies, USER/PASS/ACCT credentials,
 * PASV/EPSV/PORT/EPRT with the port arithmetic, each transfer command tied to the data connection it
 * opens (announced to the analyzer, which links them), AUTH TLS handing over to TLS.
 */
import type { StreamGap } from '../../tcp/types';
import { pumpLines, spanOf, type HandlerHost, type ProtocolHandler } from '../handler';
import { printable } from '../output';
import type { StreamLine } from '../stream-buffer';
import { createTlsHandler } from '../tls/tls-handler';
import type { DataConnectionExpectation } from '../types';
import { explainFtpReply, FTP_COMMANDS } from './explain';

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
}

export interface FtpSummary {
  user: string | null;
  loggedIn: boolean;
  transfers: FtpTransfer[];
  commands: number;
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
  const pending: Array<{ verb: string; arg: string; frame: number }> = [];
  let greeted = false;
  let reply: Reply | null = null;
  let lastData: DataConnectionExpectation | null = null;
  let handedOver = false;

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
    pending.push({ verb, arg, frame: line.frames[0] ?? 0 });
    const lines: string[] = [];
    const frame = line.frames[0] ?? 0;
    let activePort: number | null = null;
    if (verb === 'USER') summary.user = arg;
    if (verb === 'PASS') out.credential({ frame, mechanism: 'USER/PASS', username: summary.user ?? '', password: arg });
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
    if (TRANSFER_COMMANDS.has(verb) && summary.transfers.length < 10000) {
      summary.transfers.push({ command: verb, argument: arg, frame, mode: lastData?.mode ?? null, host: lastData?.host ?? null, port: lastData?.port ?? null, dataConnection: null });
      lastData = null;
    }
    // Lines that carry a credential in clear are drawn as 'auth' (red in the ladder).
    out.event('client', verb === 'USER' || verb === 'PASS' || verb === 'ACCT' ? 'auth' : 'command', spanOf(line), printable(line.text, 120), FTP_COMMANDS[verb] ?? 'A command this dissector does not describe.', {
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
    const cmd = greeted ? (pending.shift() ?? null) : null;
    greeted = true;
    const first = r.lines[0];
    const fields: Record<string, string | number> = { 'ftp.response.code': Number(r.code) };
    let explain = explainFtpReply(r.code);
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
    out.event('server', cmd?.verb === 'PASS' ? 'auth' : 'reply', spanOf(r), label, explain, {
      fields,
      lines: lines.length ? lines : undefined,
    });
    if (cmd?.verb === 'AUTH' && r.code === '234') {
      handedOver = true;
      host.switchTo(createTlsHandler(host, 'auth-tls'));
    }
  }

  return {
    pump(dir, final) {
      pumpLines(host, dir, final, 'ftp', dir === 'client' ? onClient : onServer, () => handedOver);
    },
    gap(gap: StreamGap) {
      if (gap.dir === 'server') reply = null;
    },
    end() {
      if (reply) onReply(reply);
      reply = null;
    },
  };
}

function parseHostPort(arg: string): { host: string; port: number; p1: number; p2: number } | null {
  const n = arg.split(',').map((x) => Number(x.trim()));
  if (n.length !== 6 || n.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return null;
  return { host: n.slice(0, 4).join('.'), port: n[4] * 256 + n[5], p1: n[4], p2: n[5] };
}
