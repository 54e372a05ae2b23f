/**
 * Telnet option negotiation (RFC 854, RFC 855) inside a text protocol typed with `telnet`: bytes
 * IAC (0xFF) followed by DO/DONT/WILL/WONT and an option number, or IAC SB … IAC SE subnegotiation.
 * A telnet client may send them before the first typed line; SMTP, POP3 and FTP servers do not speak
 * telnet options, so they see a line starting with garbage. This module separates them from the
 * typed text and says what each asked. Pure and bounded.
 */

const IAC = 0xff;
const SE = 0xf0;
const SB = 0xfa;
const WILL = 0xfb;
const WONT = 0xfc;
const DO = 0xfd;
const DONT = 0xfe;

/** Option numbers (IANA Telnet options) and what the option is, in plain words. */
const OPTIONS: Record<number, string> = {
  0: 'binary transmission',
  1: 'echo (who prints the typed characters)',
  3: 'suppress go-ahead (full-duplex typing)',
  5: 'status',
  6: 'timing mark',
  24: 'terminal type',
  31: 'window size (NAWS)',
  32: 'terminal speed',
  33: 'remote flow control',
  34: 'linemode (line-by-line editing)',
  35: 'X display location',
  36: 'environment variables',
  37: 'authentication',
  38: 'encryption',
  39: 'environment variables (new)',
};

const COMMANDS: Record<number, string> = {
  0xf1: 'NOP',
  0xf2: 'Data Mark',
  0xf3: 'Break',
  0xf4: 'Interrupt Process (Ctrl-C)',
  0xf5: 'Abort Output',
  0xf6: 'Are You There',
  0xf7: 'Erase Character',
  0xf8: 'Erase Line',
  0xf9: 'Go Ahead',
};

function optionName(n: number): string {
  return OPTIONS[n] ?? `option ${n}`;
}

export interface TelnetScan {
  /** The bytes without the telnet commands (IAC IAC becomes one 0xFF). */
  text: Uint8Array;
  /** One plain sentence per command, in order (at most 40). */
  commands: string[];
}

/** True when `bytes` holds an IAC command (not only a doubled IAC). */
export function hasTelnetCommands(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== IAC) continue;
    const next = bytes[i + 1];
    if (next === IAC) i++;
    else if (next !== undefined && next >= 0xf0) return true;
  }
  return false;
}

/** Splits telnet commands from typed text. A command cut at the end of `bytes` is dropped with a note. */
export function scanTelnet(bytes: Uint8Array, from: 'client' | 'server' = 'client'): TelnetScan {
  const who = from === 'client' ? 'telnet (the client)' : 'the server';
  const other = from === 'client' ? 'the server' : 'the client';
  const out = new Uint8Array(bytes.length);
  let n = 0;
  const commands: string[] = [];
  const say = (s: string) => {
    if (commands.length < 40) commands.push(s);
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== IAC) {
      out[n++] = b;
      continue;
    }
    const cmd = bytes[i + 1];
    if (cmd === undefined) {
      say('a lone IAC byte (0xFF) at the end of the line');
      break;
    }
    if (cmd === IAC) {
      out[n++] = IAC;
      i++;
      continue;
    }
    if (cmd === DO || cmd === DONT || cmd === WILL || cmd === WONT) {
      const opt = bytes[i + 2];
      if (opt === undefined) {
        say('a telnet negotiation cut short');
        break;
      }
      const name = optionName(opt);
      if (cmd === DO) say(`IAC DO ${opt}: ${who} asks ${other} to use ${name}`);
      else if (cmd === DONT) say(`IAC DONT ${opt}: ${who} asks ${other} not to use ${name}`);
      else if (cmd === WILL) say(`IAC WILL ${opt}: ${who} offers to use ${name}`);
      else say(`IAC WONT ${opt}: ${who} refuses to use ${name}`);
      i += 2;
      continue;
    }
    if (cmd === SB) {
      const opt = bytes[i + 2];
      let j = i + 3;
      while (j + 1 < bytes.length && !(bytes[j] === IAC && bytes[j + 1] === SE)) j++;
      const sub = bytes.subarray(i + 3, Math.min(j, bytes.length));
      const detail =
        opt === 24 && sub[0] === 0
          ? `: “${String.fromCharCode(...sub.subarray(1, 41)).replace(/[^\x20-\x7e]/g, '?')}”`
          : opt === 31 && sub.length >= 4
            ? `: ${(sub[0] << 8) | sub[1]}×${(sub[2] << 8) | sub[3]} characters`
            : '';
      say(
        `IAC SB ${opt ?? '?'} … IAC SE: ${who} sends its ${opt === undefined ? 'option' : optionName(opt)}${detail}`,
      );
      i = j + 1;
      continue;
    }
    if (cmd === SE) {
      i++;
      continue;
    }
    say(`IAC ${COMMANDS[cmd] ?? `command ${cmd}`}`);
    i++;
  }
  return { text: out.subarray(0, n), commands };
}

export const TELNET_NOTE =
  'These bytes are telnet option negotiation (each starts with IAC, byte 0xFF), sent by the telnet program, not typed by you. ' +
  'Mail servers do not speak telnet options: they read them as part of the first command, which may then be refused. ' +
  'If it is, type the command again; or use `nc -C` / `ncat --crlf`, which send only what you type.';
