/** RFC 5322 header section: unfolded header fields and the addresses in address fields. */

export interface HeaderField {
  name: string;
  value: string;
}

/** Headers of a message (text up to the first empty line), unfolded. At most `max` fields. */
export function parseHeaders(message: string, max = 500): { fields: HeaderField[]; bodyOffset: number } {
  const fields: HeaderField[] = [];
  let pos = 0;
  let bodyOffset = message.length;
  while (pos < message.length) {
    let nl = message.indexOf('\n', pos);
    if (nl < 0) nl = message.length;
    const line = message.slice(pos, nl).replace(/\r$/, '');
    const next = nl + 1;
    if (line === '') {
      bodyOffset = Math.min(next, message.length);
      break;
    }
    if ((line[0] === ' ' || line[0] === '\t') && fields.length) {
      fields[fields.length - 1].value += ' ' + line.trim();
    } else {
      const colon = line.indexOf(':');
      if (colon > 0 && fields.length < max) fields.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
    }
    pos = next;
  }
  return { fields, bodyOffset };
}

export function headerValue(fields: HeaderField[], name: string): string | null {
  const lower = name.toLowerCase();
  const f = fields.find((x) => x.name.toLowerCase() === lower);
  return f ? f.value : null;
}

/** Email addresses (lowercased) in an address header or an envelope path like `<a@b> SIZE=10`. */
export function addressesIn(value: string | null): string[] {
  if (!value) return [];
  const out: string[] = [];
  const re = /<([^<>\s]*)>|([A-Za-z0-9._%+\-=!#$&'*/?^`{|}~]+@[A-Za-z0-9.\-[\]:]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value)) && out.length < 1000) {
    const a = (m[1] ?? m[2] ?? '').trim().toLowerCase();
    if (a && a.includes('@')) out.push(a);
  }
  return out;
}

/** The path of `MAIL FROM:<x> PARAMS` / `RCPT TO:<x> PARAMS` and its ESMTP parameters. */
export function parsePath(arg: string): { address: string; params: Record<string, string> } {
  const m = /^\s*(?:FROM|TO)\s*:\s*(<[^>]*>|\S*)\s*(.*)$/i.exec(arg);
  const path = m ? m[1] : arg.trim();
  const params: Record<string, string> = {};
  for (const p of (m ? m[2] : '').split(/\s+/).filter(Boolean).slice(0, 20)) {
    const eq = p.indexOf('=');
    params[(eq < 0 ? p : p.slice(0, eq)).toUpperCase()] = eq < 0 ? '' : p.slice(eq + 1);
  }
  return { address: path.replace(/^<|>$/g, ''), params };
}
