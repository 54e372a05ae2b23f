/**
 * Turns libpcap's refusal into what to do on this system, instead of a stack trace.
 */
import { findDumpcap } from './capture-backend';
export function isPermissionError(message: string): boolean {
  return /permission|not permitted|EPERM|EACCES|don't have permission|You don't have/i.test(message);
}

export function captureHelp(message: string, platform: NodeJS.Platform = process.platform, node = process.execPath, dumpcapInstalled = findDumpcap() !== null): string {
  if (!isPermissionError(message)) {
    if (/no such device|doesn't exist|No such device exists/i.test(message))
      return `${message}. List interfaces with \`wirelens interfaces\` and pick one of those names.`;
    if (/syntax error|illegal|can't parse|parse error|unknown host|expression rejects/i.test(message))
      return `The capture filter is not valid BPF: ${message}. Capture filters use tcpdump syntax, e.g. \`tcp port 25 or tcp port 110\`.`;
    return message;
  }
  switch (platform) {
    case 'linux':
      return (
        `Capture is not allowed for this user (${message}). Either run the capture as root, or give the Node binary ` +
        `that runs the capture process the capture capabilities once:\n` +
        `  sudo setcap cap_net_raw,cap_net_admin=eip ${node}` +
        (dumpcapInstalled
          ? ''
          : `\nOr install Wireshark's dumpcap (Debian/Ubuntu: \`sudo apt-get install wireshark-common\`, answer Yes to ` +
            `non-superusers capturing, then \`sudo usermod -aG wireshark $USER\` and log in again): Wirelens captures through it when it is there.`)
      );
    case 'darwin':
      return (
        `Capture is not allowed for this user (${message}). macOS protects the BPF devices: install Wireshark's ` +
        `"ChmodBPF" package (or run \`sudo chmod o+r /dev/bpf*\` until the next reboot), then try again.`
      );
    case 'win32':
      return (
        `Capture failed (${message}). Install Npcap from https://npcap.com (tick "WinPcap API-compatible mode"); ` +
        `if you restricted Npcap to administrators, run Wirelens as administrator.`
      );
    default:
      return `Capture is not allowed for this user (${message}). Run the capture with the rights to open raw sockets.`;
  }
}

/**
 * dumpcap's refusal as advice. Its permission message already says what to do on this system
 * (the wireshark group, or setcap on dumpcap), so it is kept whole; filter and interface errors are
 * put the way Wirelens says them for either backend.
 */
export function dumpcapHelp(message: string): string {
  const text = message.replace(/^dumpcap: /gm, '').trim();
  const filter = /Invalid capture filter "[^"]*" for interface '[^']*'\.\s*(?:That string isn't a valid capture filter \(([^)\n]*)\))?/.exec(text);
  if (filter) return `The capture filter is not valid BPF${filter[1] ? ` (${filter[1]})` : ''}. Capture filters use tcpdump syntax, e.g. \`tcp port 25 or tcp port 110\`.`;
  if (/There is no device named|No such device/i.test(text)) return `${text.split('\n')[0]} List interfaces with \`wirelens interfaces\` and pick one of those names.`;
  return `dumpcap could not capture: ${text}`;
}
