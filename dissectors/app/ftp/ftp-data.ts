/**
 * An FTP data connection (announced by PASV/EPSV/PORT/EPRT on its control connection): the bytes of
 * each direction counted and hashed, a listing kept as text (first 64 KiB), shown as one transfer event.
 */
import { latin1 } from '../../model/bytes-text';
import type { Direction } from '../../tcp/types';
import { chunkFrames, type HandlerHost, type ProtocolHandler } from '../handler';
import { printable } from '../output';
import type { DataConnectionExpectation, LaterHash } from '../types';
import { explainFtpData, FTP_NOTES, LISTING_COMMANDS } from './explain';

/** Bytes looked at to tell text (a listing) from file data. */
const MAX_TEXT = 64 * 1024;
/** Bytes of text kept for the summary (the rest of MAX_TEXT is only checked). */
const KEPT_TEXT = 16384;

export interface FtpDataSummary {
  controlConnection: number;
  mode: DataConnectionExpectation['mode'];
  /** The direction that carried the bytes (server for RETR/LIST, client for STOR). */
  direction: Direction | null;
  bytes: number;
  sha256: string | null;
  /** The first 16 KiB as text (… after it when there is more) when the first 64 KiB look like text (a listing), else null. */
  text: string | null;
  /** The transfer command on the control connection that used this data connection (RETR, STOR, LIST …), null when not seen. */
  command?: string | null;
  /** Its argument: the file name for RETR/STOR/APPE, the path (if any) for LIST/NLST/MLSD. */
  argument?: string | null;
  /** What the bytes are, from the command: a directory listing (LIST/NLST/MLSD) or a file (RETR/STOR …); null when the command was not seen. */
  kind?: 'listing' | 'file' | null;
  /** The FTP side that sent the bytes (the data connection's TCP client is the FTP server in active mode, PORT/EPRT). */
  sender?: Direction | null;
}

export function createFtpDataHandler(host: HandlerHost, link: DataConnectionExpectation): ProtocolHandler {
  const { out, bufs, ctx } = host;
  const summary: FtpDataSummary = { controlConnection: link.controlConnection, mode: link.mode, direction: null, bytes: 0, sha256: null, text: null };
  out.summary.ftpData = summary;
  const hashes: Record<Direction, LaterHash | null> = { client: null, server: null };
  const counts: Record<Direction, number> = { client: 0, server: 0 };
  const frames: Record<Direction, number[]> = { client: [], server: [] };
  const times: Record<Direction, number | null> = { client: null, server: null };
  // Of each direction's first MAX_TEXT bytes: whether all are text, and the first KEPT_TEXT of them.
  const textual: Record<Direction, boolean> = { client: true, server: true };
  const kept: Record<Direction, Uint8Array | null> = { client: null, server: null };

  function data(dir: Direction, bytes: Uint8Array, blockFrames: number[], time: number): void {
    hashes[dir] ??= ctx.laterSha256();
    hashes[dir]!.update(bytes);
    counts[dir] += bytes.length;
    times[dir] ??= time;
    for (const f of blockFrames) if (frames[dir][frames[dir].length - 1] !== f && frames[dir].length < 100000) frames[dir].push(f);
    const seen = counts[dir] - bytes.length;
    if (textual[dir] && seen < MAX_TEXT) {
      const look = bytes.subarray(0, MAX_TEXT - seen);
      textual[dir] = look.every(isText);
      if (!textual[dir]) kept[dir] = null;
      else if (seen < KEPT_TEXT) kept[dir] = keptWith(kept[dir], seen, look.subarray(0, KEPT_TEXT - seen));
    }
  }

  return {
    pump(dir) {
      const block = bufs[dir].takeAll();
      if (block) data(dir, block.bytes, block.frames, block.time);
    },
    bulk(dir, chunk) {
      data(dir, chunk.bytes, chunkFrames(chunk, chunk.bytes.length), chunk.time);
      return chunk.bytes.length;
    },
    gap() {},
    end() {
      const dir: Direction | null = counts.server >= counts.client ? (counts.server ? 'server' : null) : 'client';
      if (!dir) return;
      summary.direction = dir;
      summary.bytes = counts[dir];
      const isTextual = textual[dir];
      summary.text = isTextual ? latin1(kept[dir]!.subarray(0, Math.min(KEPT_TEXT, counts[dir]))) + (counts[dir] > KEPT_TEXT ? '…' : '') : null;
      // The file's sha256 is filled in once known (at once, or from the host's helper thread).
      const fields: Record<string, string | number> = { 'ftp-data.bytes': summary.bytes, 'ftp-data.sha256': '' };
      const lines = summary.text ? summary.text.split(/\r?\n/).filter(Boolean).slice(0, 50).map((l) => printable(l, 200)) : undefined;
      // The control connection names the command (RETR lesson.txt, LIST) once the client sends it.
      const command = link.command ?? null;
      const argument = link.argument ?? null;
      summary.command = command;
      summary.argument = argument;
      summary.kind = command === null ? null : LISTING_COMMANDS.has(command) ? 'listing' : 'file';
      const where = `control connection #${link.controlConnection}, ${link.mode} port ${link.port}`;
      // In passive mode the FTP client opens the data connection; in active mode (PORT/EPRT) the FTP server does.
      const sender = (dir === 'client') === (link.mode === 'PASV' || link.mode === 'EPSV') ? 'client' : 'server';
      const flow = sender === 'server' ? 'FTP server → client' : 'FTP client → server';
      summary.sender = sender;
      const label =
        command === null
          ? `${summary.bytes} bytes ${isTextual ? 'of text' : 'of file data'} (${where})`
          : summary.kind === 'listing'
            ? `${command}${argument ? ' ' + printable(argument, 80) : ''}: directory listing, ${summary.bytes} bytes, ${flow} (${where})`
            : `${command} ${printable(argument ?? '', 80)}: ${summary.bytes} bytes of the file, ${flow} (${where})`;
      const explain = command === null ? `${isTextual ? FTP_NOTES.dataListing : FTP_NOTES.dataFile} ${FTP_NOTES.dataUnknownCommand}` : explainFtpData(command, printable(argument ?? '', 120), summary.bytes, sender);
      out.event(dir, 'data', { frames: frames[dir], time: times[dir] ?? 0 }, label, explain, { fields, lines });
      hashes[dir]!.digest((sha) => {
        summary.sha256 = sha;
        fields['ftp-data.sha256'] = sha;
      });
    },
  };
}

/** `buf` (its first `used` bytes kept) with `part` after them: grown as needed, up to KEPT_TEXT (most listings are short). */
function keptWith(buf: Uint8Array | null, used: number, part: Uint8Array): Uint8Array {
  const need = used + part.length;
  let b = buf ?? new Uint8Array(Math.min(KEPT_TEXT, Math.max(1024, need)));
  if (need > b.length) {
    const grown = new Uint8Array(Math.min(KEPT_TEXT, Math.max(need, b.length * 2)));
    grown.set(b.subarray(0, used));
    b = grown;
  }
  b.set(part, used);
  return b;
}

/** Tab, line feed, carriage return or a printable character (latin1 above DEL counts as text). */
function isText(c: number): boolean {
  return c === 9 || c === 10 || c === 13 || (c >= 0x20 && c !== 0x7f);
}
