/** The `wirelens` command line. */
import { NotACaptureError } from '../../dissectors/capture/types';
import { parseArgs, UsageError } from './args';
import { analyzeCommand } from './commands/analyze';
import { followCommand } from './commands/follow';
import { packetsCommand } from './commands/packets';
import { serveCommand } from './commands/serve';
import { forTerminalLines } from './format';
import { exitOnSignals } from './signals';

const VALUE_KEYS = new Set(['filter', 'decode-as', 'port', 'host', 'token', 'dir', 'i', 'interface', 'f', 'w', 'duration', 'count', 'snaplen', 'live', 'flush-ms', 'buffer-mb', 'workers', 'backend', 'smtp', 'smtps', 'pop3', 'pop3s', 'http', 'ftp', 'ftp-pasv', 'keylog', 'format', 'range', 'protocol', 'out', 'max-mb', 'conv', 'endpoints', 'io']);

export const USAGE = `wirelens — study network protocols in captures

Usage:
  wirelens packets FILE [--json] [--filter EXPR]    one row per packet (No., Time, Source, Destination, Protocol, Length, Info)
  … --keylog FILE (packets, analyze, follow, serve; repeatable): decrypt TLS with this NSS key log (SSLKEYLOGFILE)
  wirelens analyze FILE [--json] [--decode-as PORT=PROTO] [--workers N]
                                                   the whole file: capture facts, TCP connections, handshakes, ladders, credentials
  wirelens follow FILE CONNECTION_ID [--hex|--raw]  one connection's conversation, like Follow TCP Stream
  wirelens serve [FILE] [--port N] [--host ADDR]    browser mode on http://127.0.0.1:8717 (the sample lesson when no FILE)
                 [--token T] [--dir DIR] [--share]  the page needs the printed URL (its token); --dir lets it open files
                                                   under DIR; --share shows captures a page opens to every page
  wirelens serve --live IFACE [-f BPF] [--backend auto|cap|dumpcap]
                                                   browser mode on a live capture (needs capture rights; auto captures
                                                   with Wireshark's dumpcap when installed, else libpcap through cap)
  wirelens expert FILE [--json] [--frames]        Expert Information, as tshark -q -z expert prints it
  wirelens export FILE [--filter EXPR] [--range A-B] -w OUT [--format pcap|pcapng]
                                                   Export Specified Packets: the packets the filter shows (and range)
  wirelens merge FILE FILE… -w OUT [--format pcap|pcapng]
                                                   one capture of several, in time order (as mergecap)
  wirelens export-objects FILE --protocol http|imf|ftp-data --out DIR [--max-mb N]
                                                   save HTTP bodies, mail (.eml, attachments), FTP-DATA files in DIR
  wirelens stats FILE --phs | --conv tcp|udp|ip|ipv6 | --endpoints ip|ipv6 | --io SECONDS [--filter EXPR]… | --capinfos [--json]
                                                   Statistics: protocol hierarchy, conversations, endpoints, IO per interval,
                                                   capture file properties (the numbers of tshark -z and capinfos)
  wirelens interfaces                              list capture interfaces
  wirelens capture -i IFACE [-f BPF] [-w FILE.pcapng] [--duration S | --count N] [--snaplen N] [--buffer-mb N]
                 [--backend auto|cap|dumpcap]      capture to a pcapng file (needs capture rights): auto (default) uses
                                                   Wireshark's dumpcap when installed, else libpcap through cap
  wirelens lab [--smtp N] [--pop3 N] [--http N] [--ftp N] [--port N] [--no-open]
                                                   the lessons' lab on 127.0.0.1: mail, web and FTP servers (pari/ninja),
                                                   their capture and the app; \`wirelens lab --help\` for every option
FILE may be .pcap, .pcapng, .cap or any of them gzip-compressed (.gz).
`;

export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  const [cmd, ...rest] = argv;
  // A signal ends the command through process.exit, so the run's temporary files are removed
  // (kept for the whole process: it may still be closing after main returns).
  exitOnSignals();
  try {
    const args = parseArgs(rest, VALUE_KEYS);
    switch (cmd) {
      case 'packets':
        return await packetsCommand(args, out);
      case 'analyze':
        return await analyzeCommand(args, out);
      case 'follow':
        return await followCommand(args, out);
      case 'serve':
        return await serveCommand(args, out);
      case 'lab': {
        const m = await import('../lab/lab-command');
        if (args.flags.has('help') || args.flags.has('h')) return out.write(`${m.LAB_USAGE}\n`), 0;
        return await m.labCommand(args, out);
      }
      case 'expert':
        return await (await import('./commands/expert')).expertCommand(args, out);
      case 'export':
      case 'merge':
      case 'export-objects': {
        const m = await import('./commands/export');
        if (cmd === 'export') return await m.exportCommand(args, out);
        return await (cmd === 'merge' ? m.mergeCommand(args, out) : m.exportObjectsCommand(args, out, err));
      }
      case 'stats':
        return await (await import('./commands/stats')).statsCommand(args, out);
      case 'interfaces':
      case 'capture': {
        const m = await import('./commands/capture');
        return await (cmd === 'interfaces' ? m.interfacesCommand(args, out) : m.captureCommand(args, out, err));
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        out.write(USAGE);
        return cmd === undefined ? 2 : 0;
      case '--version':
        out.write('wirelens 0.1.0\n');
        return 0;
      default:
        err.write(`wirelens: unknown command '${forTerminalLines(cmd)}'\n\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    // Messages may quote the capture or the command line: escaped like every other output.
    if (e instanceof UsageError) {
      err.write(`wirelens: ${forTerminalLines(e.message)}\n`);
      return 2;
    }
    if (e instanceof NotACaptureError) {
      err.write(`wirelens: ${forTerminalLines(e.message)}\n`);
      return 1;
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      err.write(`wirelens: no such file: ${forTerminalLines((e as NodeJS.ErrnoException).path ?? '')}\n`);
      return 1;
    }
    if (code === 'EACCES') {
      err.write(`wirelens: permission denied: ${forTerminalLines((e as NodeJS.ErrnoException).path ?? '')}\n`);
      return 1;
    }
    err.write(`wirelens: ${forTerminalLines((e as Error).message ?? String(e))}\n`);
    return 1;
  }
}
