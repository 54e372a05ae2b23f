/** FTP explanations (one reviewed table). RFC 959, RFC 2428 (EPSV/EPRT), RFC 4217 (AUTH TLS). */
import { nearestWords } from '../did-you-mean';
export const FTP_COMMANDS: Record<string, string> = {
  USER: 'The client gives the username, in clear text.',
  PASS: 'The client sends the password in clear text: anyone who captures the control connection can read it.',
  ACCT: 'Account information (rarely used), in clear text.',
  PASV: 'Passive mode: the client asks the server to open a port and tell it where to connect for the next data transfer.',
  EPSV: 'Extended passive mode (works with IPv6): the server answers with just a port number on its own address.',
  PORT: 'Active mode: the client tells the server which address and port to connect back to for the next transfer (h1,h2,h3,h4,p1,p2 → port p1×256+p2).',
  EPRT: 'Extended active mode: the client gives protocol, address and port for the server to connect back to.',
  LIST: 'Asks for a directory listing; it arrives on a separate data connection.',
  NLST: 'Asks for a list of file names; it arrives on a separate data connection.',
  MLSD: 'Asks for a machine-readable directory listing on a data connection.',
  RETR: 'Downloads a file: its bytes arrive on a separate data connection.',
  STOR: 'Uploads a file: its bytes are sent on a separate data connection.',
  APPE: 'Appends to a file on the server, sending the bytes on a data connection.',
  TYPE: 'Sets the transfer type: A (ASCII text) or I (image, i.e. binary bytes unchanged).',
  CWD: 'Changes the working directory on the server.',
  PWD: 'Asks for the current working directory.',
  SYST: 'Asks which operating system the server runs.',
  FEAT: 'Asks for the list of extensions the server supports.',
  SIZE: 'Asks for the size of a file.',
  MDTM: 'Asks for the modification time of a file.',
  DELE: 'Deletes a file on the server.',
  MKD: 'Creates a directory.',
  RMD: 'Removes a directory.',
  QUIT: 'Ends the session.',
  AUTH: 'AUTH TLS asks to switch the control connection to TLS; after the server\'s 234 the bytes are a TLS handshake.',
  NOOP: 'No operation.',
  OPTS: 'Sets an option (for example UTF8 ON).',
  REST: 'Restart marker: the next transfer starts at this byte offset.',
  CDUP: 'Changes to the parent directory.',
  RNFR: 'Rename from: names the file to rename (RNTO gives the new name).',
  RNTO: 'Rename to: the new name of the file named by RNFR.',
  ABOR: 'Aborts the transfer in progress.',
  STOU: 'Uploads a file under a name the server chooses (unique), on a data connection.',
  STAT: 'Asks for the server\'s status (or a file\'s, with an argument).',
  HELP: 'Asks the server for help text (the commands it knows).',
  SITE: 'A server-specific command (for example SITE CHMOD).',
  MODE: 'Sets the transfer mode (S: stream, the usual one).',
  STRU: 'Sets the file structure (F: file, the usual one).',
  MLST: 'Asks for machine-readable facts about one file, on the control connection.',
  PBSZ: 'Protection buffer size, sent before PROT after AUTH TLS (always 0).',
  PROT: 'Data connection protection after AUTH TLS: P (private, encrypted) or C (clear).',
};

export const FTP_REPLIES: Record<string, string> = {
  '110': 'Restart marker: the server tells where in the file a restarted transfer stands.',
  '120': 'The server is not ready yet; it says in how many minutes it will be.',
  '125': 'The data connection is already open; the transfer starts.',
  '150': 'The command is accepted and the transfer starts on the data connection (another reply, 226 or an error, follows when it ends).',
  '200': 'Command OK.',
  '202': 'The command is not needed on this server (superfluous); nothing was done.',
  '211': 'System status, or the FEAT list of extensions.',
  '212': 'Directory status.',
  '213': 'File status (for SIZE: the size in bytes; for MDTM: the modification time).',
  '214': 'Help text.',
  '215': 'The system type (for example UNIX Type: L8).',
  '220': 'The server is ready for a new user (greeting).',
  '221': 'The server closes the control connection (goodbye).',
  '225': 'The data connection is open; no transfer is in progress.',
  '226': 'The transfer finished and the server closes the data connection.',
  '227': 'Entering passive mode: the numbers are h1,h2,h3,h4,p1,p2: the address h1.h2.h3.h4 and the port p1×256+p2 where the client must connect for the data.',
  '228': 'Entering long passive mode (RFC 1639): the client connects to the address and port given.',
  '229': 'Entering extended passive mode: the client connects to the port between the bars, on the server\'s address.',
  '230': 'Login accepted: the user is logged in.',
  '234': 'The server accepts AUTH TLS: the TLS handshake follows and the rest of the control connection is encrypted.',
  '250': 'The requested file action was done.',
  '257': 'The path name (PWD/MKD).',
  '331': 'User name OK: the server now needs the password (PASS).',
  '332': 'The server needs an account (ACCT) to log in.',
  '350': 'The server waits for the next command to finish this action (after REST or RNFR).',
  '421': 'The service is not available and the server closes the control connection (often: too many users, or idle too long).',
  '425': 'The server could not open the data connection.',
  '426': 'The data connection was closed and the transfer aborted.',
  '450': 'The file is unavailable for now (busy): trying again later may work.',
  '451': 'The action was aborted by an error on the server: trying again later may work.',
  '452': 'Not enough storage space on the server for now.',
  '500': 'Syntax error: the server does not recognise this command (check its spelling).',
  '501': 'Syntax error in the command\'s parameters.',
  '502': 'The server does not implement this command.',
  '503': 'Bad sequence of commands: this command is not allowed at this point (for example PASS without USER first).',
  '504': 'The server does not implement this command with this parameter.',
  '530': 'Not logged in: the login was refused, or this command needs a login first.',
  '532': 'The server needs an account (ACCT) before it stores files.',
  '550': 'The action was not done: the file or directory does not exist, or this user may not access it.',
  '551': 'The action was aborted: page type unknown.',
  '552': 'The transfer was aborted: the storage allocation is exceeded.',
  '553': 'The action was not done: this file name is not allowed.',
};

export const FTP_NOTES = {
  dataListing: 'A directory listing sent on the data connection, as plain text.',
  dataFile: 'File bytes sent on the data connection, unchanged. Their size and sha256 identify the file.',
  dataUnknownCommand: 'The command that asked for these bytes (LIST, RETR, STOR …) is not in the capture, so whether they are a listing or a file is only a guess from whether they look like text.',
  unknownReply: 'A reply code this dissector does not describe.',
} as const;

export function explainFtpReply(code: string): string {
  return FTP_REPLIES[code] ?? ({ '1': 'Preliminary reply: more will follow.', '2': 'Success.', '3': 'More input needed.', '4': 'Temporary failure.', '5': 'Permanent failure.' } as Record<string, string>)[code[0]] ?? FTP_NOTES.unknownReply;
}

/** Commands whose data connection carries a directory listing; every other transfer command carries a file. */
export const LISTING_COMMANDS = new Set(['LIST', 'NLST', 'MLSD']);

/** What the bytes of a data connection are, from the command that asked for them (RETR, STOR, LIST …); `dir`: the FTP side that sent them. */
export function explainFtpData(command: string, argument: string, bytes: number, dir: 'client' | 'server'): string {
  if (LISTING_COMMANDS.has(command)) {
    const what = command === 'NLST' ? 'A list of file names' : command === 'MLSD' ? 'A machine-readable directory listing' : 'A directory listing';
    return `${what} (${command}${argument ? ' ' + argument : ''}), sent by the FTP ${dir} on the data connection as plain text: ${bytes} bytes.`;
  }
  const name = argument ? `“${argument}”` : 'a file';
  if (command === 'STOR' || command === 'STOU' || command === 'APPE') {
    return `The file ${name}, uploaded (${command}): its ${bytes} bytes went from the FTP ${dir} to the FTP ${dir === 'client' ? 'server' : 'client'} on this separate data connection. Their size and sha256 identify the file.`;
  }
  return `The file ${name}, downloaded (${command}): its ${bytes} bytes went from the FTP ${dir} to the FTP ${dir === 'client' ? 'server' : 'client'} on this separate data connection, as the server sent them. Their size and sha256 identify the file.`;
}

/**
 * Why a 425 (no data connection) came back, from what the control connection said before it:
 * the data connection of the last PASV was already used, none was announced, active mode (PORT)
 * could not connect back, or nobody connected to the PASV port.
 */
export function explainNoDataConnection(ann: { mode: string; port: number } | null, used: boolean, command: string): { explain: string; code: string } {
  if (!ann && used) {
    return {
      code: 'ftp.data.pasv_used',
      explain: `425: no data connection for this ${command || 'command'}. The data connection of the last PASV was already used by the previous transfer, and each PASV opens one data connection for one transfer. Send PASV again, connect to the new port (a second nc), then repeat ${command || 'the command'}.`,
    };
  }
  if (!ann) {
    return {
      code: 'ftp.data.not_announced',
      explain: `425: no data connection for this ${command || 'command'}: no PASV (or PORT) was sent before it. Send PASV, connect to the port it gives (a second nc), then repeat ${command || 'the command'}.`,
    };
  }
  if (ann.mode === 'PORT' || ann.mode === 'EPRT') {
    return {
      code: 'ftp.data.active_failed',
      explain: `425: in active mode (${ann.mode}) the server connects back to the client's port ${ann.port}, and that failed: nothing was listening there, or a firewall or NAT blocked the connection. Use passive mode (PASV) instead, where the client makes the data connection.`,
    };
  }
  return {
    code: 'ftp.data.pasv_failed',
    explain: `425: the server opened port ${ann.port} (${ann.mode}) and waited, but no data connection came to it in time. Connect to port ${ann.port} (a second nc) before sending ${command || 'the command'} — or right after, quickly; a firewall between client and server can also block it.`,
  };
}

/** Why a 500/502 came back for a command this table does not know: likely a typo, with the nearest known command. */
export function explainUnknownFtpCommand(verb: string): string {
  const near = nearestWords(verb, Object.keys(FTP_COMMANDS));
  return `The server does not know the command “${verb}”.${near.length ? ` Did you mean ${near.join(' or ')}?` : ' Check its spelling (FTP commands are USER, PASS, PASV, LIST, RETR, STOR, QUIT …).'}`;
}
