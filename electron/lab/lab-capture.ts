/**
 * The lab's capture: the loopback interface, filtered to the lab's ports, started at once when this
 * user may capture. When not, the lab runs without it and says in one sentence how to grant the
 * rights; Wirelens does not pretend to capture by other means.
 */
import type { CaptureId, EngineApi, LabCaptureState } from '../../api/engine-api';
import { findDumpcap } from '../capture/capture-backend';
import { isPermissionError } from '../capture/permissions';

/** One sentence: capture is off, and how this system grants the right to capture. */
export function captureRightsSentence(
  platform: NodeJS.Platform = process.platform,
  node = process.execPath,
  dumpcap = findDumpcap() !== null,
): string {
  switch (platform) {
    case 'linux':
      return dumpcap
        ? 'Capture is off because this user may not capture packets: let the wireshark group capture (Debian/Ubuntu: `sudo dpkg-reconfigure wireshark-common`, answer Yes), join it (`sudo usermod -aG wireshark $USER`, then log in again) or start the lab as root, and start the lab again.'
        : `Capture is off because this user may not capture packets: allow it once with \`sudo setcap cap_net_raw,cap_net_admin=eip ${node}\` (or start the lab as root) and start the lab again.`;
    case 'darwin':
      return "Capture is off because this user may not read the BPF devices: install Wireshark's ChmodBPF package (or run `sudo chmod o+r /dev/bpf*` until the next reboot) and start the lab again.";
    case 'win32':
      return 'Capture is off: install Npcap from https://npcap.com with loopback support (and, if you restricted it to administrators, run the lab as administrator), then start the lab again.';
    default:
      return 'Capture is off because this user may not capture packets: start the lab with the rights to open raw sockets.';
  }
}

export async function startLabCapture(engine: EngineApi, filter: string): Promise<LabCaptureState> {
  let iface: string | null = null;
  try {
    const interfaces = await engine.listInterfaces();
    iface = interfaces.find((i) => i.loopback)?.name ?? (process.platform === 'linux' ? 'lo' : null);
    if (!iface)
      return {
        state: 'failed',
        captureId: null,
        filter,
        iface,
        message:
          'Capture is off: no loopback interface is listed here (`wirelens interfaces` shows what is).',
      };
    const info = await engine.startCapture({ iface, filter });
    return { state: 'capturing', captureId: info.id as CaptureId, filter, iface, message: null };
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    if (isPermissionError(message))
      return { state: 'not-allowed', captureId: null, filter, iface, message: captureRightsSentence() };
    return {
      state: 'failed',
      captureId: null,
      filter,
      iface,
      message: `Capture is off: ${message.split('\n')[0]}`,
    };
  }
}
