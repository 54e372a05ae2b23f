import { Engine } from '../../engine/engine';
import type { ParsedArgs } from '../args';
import { UsageError } from '../args';
import { hexDump } from '../../../dissectors/model/bytes-text';
import { forTerminal, visibleText } from '../format';
import { keyLogsFromArgs } from '../keylog-option';

/**
 * `wirelens follow FILE CONNECTION_ID [--hex|--raw] [--keylog FILE] [--encrypted]`: one connection's conversation, like Follow
 * TCP Stream; a TLS connection decrypted with the key log shows its decrypted data (Follow TLS Stream) unless --encrypted.
 */
export async function followCommand(args: ParsedArgs, out: NodeJS.WritableStream): Promise<number> {
  const [file, idText] = args.positionals;
  if (!file || idText === undefined) throw new UsageError('follow: usage: wirelens follow FILE CONNECTION_ID [--hex|--raw]');
  const id = Number(idText);
  if (!Number.isInteger(id) || id < 0) throw new UsageError(`follow: connection id must be a number, got '${idText}'`);
  const engine = new Engine({ batch: true, keyLogs: keyLogsFromArgs(args) });
  try {
    const s = await engine.openAndWait(file);
    if (id >= s.loaded!.output.models.length)
      throw new UsageError(`follow: no connection ${id} (the file has ${s.loaded!.output.models.length}; see 'wirelens analyze')`);
    const f = await engine.follow(s.info.id, id);
    const mode = args.flags.has('raw') ? 'raw' : args.flags.has('hex') ? 'hex' : 'text';
    out.write(`===================================================================\n`);
    const decrypted = f.decrypted && !args.flags.has('encrypted') ? f.decrypted : null;
    out.write(`Follow: ${decrypted ? 'tls' : 'tcp'} connection ${id} (${mode}${decrypted ? ', decrypted with your key log' : ''})\n`);
    out.write(`Client: ${forTerminal(f.client)}\nServer: ${forTerminal(f.server)}\n`);
    out.write(`===================================================================\n`);
    for (const seg of decrypted ?? f.segments) {
      if (seg.gap !== undefined) {
        out.write(`[${seg.dir}: ${seg.gap} bytes missing from the capture]\n`);
        continue;
      }
      const bytes = Buffer.from(seg.bytesBase64 ?? '', 'base64');
      if (mode === 'raw') {
        out.write(`${seg.dir === 'server' ? '\t' : ''}${bytes.toString('hex')}\n`);
      } else if (mode === 'hex') {
        out.write(`${seg.dir === 'client' ? '>>> client' : '<<< server'} (frames ${seg.frames.join(',')}, ${bytes.length} bytes)\n`);
        out.write(hexDump(bytes, seg.offset) + '\n');
      } else {
        const prefix = seg.dir === 'client' ? 'C> ' : 'S< ';
        const text = visibleText(bytes).replace(/\n$/, '');
        out.write(text.split('\n').map((l) => prefix + l).join('\n') + '\n');
      }
    }
    if (f.truncated) out.write('[output cut at 16 MiB]\n');
    out.write(`===================================================================\n`);
    return 0;
  } finally {
    await engine.close();
  }
}
