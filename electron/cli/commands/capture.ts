/** `wirelens interfaces` and `wirelens capture`: live capture is not wired into the CLI yet. */
import type { ParsedArgs } from '../args';
import { listInterfaces } from '../../capture/interfaces';

export async function interfacesCommand(_args: ParsedArgs, out: NodeJS.WritableStream): Promise<number> {
  for (const i of listInterfaces())
    out.write(`${i.name.padEnd(20)} ${i.loopback ? 'loopback ' : ''}${i.up ? 'up' : 'down'}  ${i.addresses.join(', ')}${i.description ? `  (${i.description})` : ''}\n`);
  return 0;
}

export async function captureCommand(_args: ParsedArgs, _out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  err.write('wirelens: headless capture is not available in this version yet; record with `tcpdump -i lo -w FILE.pcap` and open the file.\n');
  return 1;
}
