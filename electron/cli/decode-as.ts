import type { AppProtocol } from '../../dissectors/app/types';
import { UsageError } from './args';

const PROTOCOLS: ReadonlySet<string> = new Set(['smtp', 'pop3', 'http', 'ftp', 'ftp-data', 'tls', 'unknown']);
const ALIASES: Record<string, AppProtocol> = { pop: 'pop3', ssl: 'tls', raw: 'unknown', tcp: 'unknown' };

/** Parses `--decode-as PORT=PROTO` values (e.g. `2525=smtp`, `8443=tls`). */
export function parseDecodeAs(values: readonly string[]): Map<number, AppProtocol> {
  const map = new Map<number, AppProtocol>();
  for (const v of values) {
    const m = /^(\d{1,5})=([a-z0-9-]+)$/i.exec(v.trim());
    if (!m) throw new UsageError(`--decode-as expects PORT=PROTO (e.g. 2525=smtp), got '${v}'`);
    const port = Number(m[1]);
    const name = m[2].toLowerCase();
    const proto = (ALIASES[name] ?? name) as AppProtocol;
    if (port < 1 || port > 65535) throw new UsageError(`--decode-as: port ${port} out of range`);
    if (!PROTOCOLS.has(proto)) throw new UsageError(`--decode-as: unknown protocol '${name}' (smtp, pop3, http, ftp, ftp-data, tls)`);
    map.set(port, proto);
  }
  return map;
}
