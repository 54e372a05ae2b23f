/**
 * The engine of `wirelens lab`: the app's engine, which also answers getLab and getLabMessage from
 * the running lab (its servers, capture and received messages).
 */
import type { LabCaptureState, LabView } from '../../api/engine-api';
import { Engine } from '../engine/engine';
import { labExercises } from './lab-exercises';
import { labServices } from './lab-ports';
import { LAB_LOGIN, type LabServers } from './lab-servers';
import { rawSource, summarize } from './message-summary';

export async function labView(lab: LabServers, capture: LabCaptureState): Promise<LabView> {
  return {
    host: lab.host,
    login: { ...LAB_LOGIN },
    services: labServices(lab.ports),
    keyLogPath: lab.keyLog.path,
    certificatePath: lab.certificatePath,
    capture: { ...capture },
    exercises: labExercises(lab.ports, lab.host),
    messages: await Promise.all(lab.mailbox.list().map(summarize)),
  };
}

export class LabEngine extends Engine {
  private lab: { servers: LabServers; capture: () => LabCaptureState } | null = null;

  /** From now on getLab describes this lab. */
  attachLab(servers: LabServers, capture: () => LabCaptureState): void {
    this.lab = { servers, capture };
  }

  async getLab(): Promise<LabView | null> {
    return this.lab ? labView(this.lab.servers, this.lab.capture()) : null;
  }

  async getLabMessage(uid: string): Promise<{ uid: string; raw: string; size: number; truncated: boolean }> {
    const m = this.lab?.servers.mailbox.get(uid);
    if (!m)
      throw new Error(
        `no message ${uid} in the lab inbox (deleted through POP3, or dropped when the inbox held more than 500)`,
      );
    return rawSource(m);
  }
}
