/**
 * The form of a capture interface name, checked before any program is asked to open it; pure (no
 * imports), shared by the IPC/WebSocket validator, the capture process and dumpcap's arguments.
 * Why a name cannot be an interface name, or null. Allowed: what libpcap lists — letters, digits,
 * `.`, `_`, `:`, `-` (Linux, macOS, BSD), and Windows' `\Device\NPF_{GUID}`. Refused whatever the
 * list says: a leading `-` (an option, or `-` = stdin), only digits (dumpcap's interface index),
 * `@` (`TCP@host:port`, `udpdump@…`), `/` (a pipe path, `rpcap://…`).
 */
export function interfaceNameProblem(name: unknown): string | null {
  if (typeof name !== 'string' || name.length === 0 || name.length > 128)
    return 'an interface name is 1 to 128 characters';
  if (name.startsWith('-')) return 'an interface name cannot start with -';
  if (/^\d+$/.test(name)) return 'give the interface by name, not by number';
  if (!/^[\w.:{}\\-]+$/.test(name))
    return 'an interface name holds only letters, digits and . _ : - (remote forms such as TCP@host:port and pipe paths are not accepted)';
  return null;
}
