/**
 * Turns libpcap's refusal into what to do on this system, instead of a stack trace. Capture rights
 * are only ever advised for a dedicated capture program — Wireshark's dumpcap — or root, never for
 * the system `node` (setcap there lets every Node program of every user sniff the network) nor for
 * everyone's access to the BPF devices (`chmod o+r /dev/bpf*` on macOS does the same).
 */
import { findDumpcap } from './capture-backend';
export function isPermissionError(message: string): boolean {
  return /permission|not permitted|EPERM|EACCES|don't have permission|You don't have/i.test(message);
}

/** How to give capture rights to Wireshark's dumpcap (and only to it), per system. */
export function dumpcapRightsAdvice(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'linux':
      return (
        "Give capture rights to Wireshark's dumpcap, the capture program Wirelens then runs: on Debian/Ubuntu " +
        '`sudo apt-get install wireshark-common` (if it is not installed), `sudo dpkg-reconfigure wireshark-common` and answer Yes ' +
        "to \"Should non-superusers be able to capture packets?\" (dumpcap then belongs to the group `wireshark`, only that group may run it, " +
        'and it holds the capabilities cap_net_raw and cap_net_admin), then `sudo usermod -aG wireshark $USER` and log out and in again. ' +
        'Other distributions package dumpcap the same way (a `wireshark` group); see their Wireshark package notes.'
      );
    case 'darwin':
      return (
        "Install Wireshark with its ChmodBPF package (in Wireshark's .dmg installer; with Homebrew `brew install --cask wireshark-chmodbpf`): " +
        'at every boot it lets the members of the group `access_bpf` read the capture devices (/dev/bpf*). The installer adds your user to it; ' +
        'for another user `sudo dseditgroup -o edit -a $USER -t user access_bpf`, then log out and in again. Wirelens then captures through Wireshark\'s dumpcap.'
      );
    case 'win32':
      return (
        'Install Npcap (https://npcap.com; the Wireshark installer includes it). If it was installed with "Restrict Npcap driver\'s access ' +
        'to Administrators only", reinstall it without that option, or run Wirelens as administrator.'
      );
    default:
      return "Install Wireshark's dumpcap and give it, and only it, the rights to capture (see your system's Wireshark package), or run the capture as root.";
  }
}

export function captureHelp(message: string, platform: NodeJS.Platform = process.platform, dumpcapInstalled = findDumpcap() !== null): string {
  if (!isPermissionError(message)) {
    if (/no such device|doesn't exist|No such device exists/i.test(message))
      return `${message}. List interfaces with \`wirelens interfaces\` and pick one of those names.`;
    if (/syntax error|illegal|can't parse|parse error|unknown host|expression rejects/i.test(message))
      return `The capture filter is not valid BPF: ${message}. Capture filters use tcpdump syntax, e.g. \`tcp port 25 or tcp port 110\`.`;
    return message;
  }
  const who = platform === 'win32' ? `Capture failed (${message}).` : `Capture is not allowed for this user (${message}).`;
  const useDumpcap = dumpcapInstalled
    ? ' dumpcap is installed: capture with it (the default `auto`, `--backend dumpcap`, or "Capture with: dumpcap" in the app) once it has the rights.'
    : '';
  const root = platform === 'win32' ? '' : ' Or run this capture as root (e.g. `sudo npx wirelens capture -i IFACE -w FILE.pcapng`).';
  return `${who} ${dumpcapRightsAdvice(platform)}${useDumpcap}${root}`;
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
