/**
 * The capture form's interfaces, useful ones first: loopback (where the lessons' servers run), then
 * interfaces that are up and have an address; the rest (down, without addresses, pseudo-devices such
 * as any, bluetooth, nflog/nfqueue, dbus, usbmon, extcap tools) under "more". Data in, order out.
 */
import type { InterfaceInfo } from '../../../api/engine-api';

/** Pseudo-interfaces that carry no ordinary network traffic for a lesson. */
const PSEUDO =
  /^(any$|bluetooth|nflog|nfqueue|dbus|usbmon|ciscodump|randpkt|sshdump|udpdump|wifidump|etwdump|dpdbg|sdjournal)/i;

export function orderInterfaces(list: readonly InterfaceInfo[]): {
  useful: InterfaceInfo[];
  more: InterfaceInfo[];
} {
  const useful: InterfaceInfo[] = [];
  const more: InterfaceInfo[] = [];
  for (const i of list)
    (i.up && (i.loopback || i.addresses.length > 0) && !PSEUDO.test(i.name) ? useful : more).push(i);
  // Loopback first; otherwise the system's order (stable sort).
  useful.sort((a, b) => Number(b.loopback) - Number(a.loopback));
  return { useful, more };
}

/** One option's text: the name, loopback or down, and up to two addresses. */
export function interfaceLabel(i: InterfaceInfo): string {
  const what = i.loopback ? ' (loopback)' : !i.up ? ' (down)' : '';
  const addrs = i.addresses.length
    ? ` ${i.addresses.slice(0, 2).join(', ')}`
    : i.description
      ? ` — ${i.description}`
      : '';
  return `${i.name}${what}${addrs}`;
}
