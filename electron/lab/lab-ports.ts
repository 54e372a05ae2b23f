/**
 * The lab's ports: Mailpit's by default (SMTP 1025, POP3 1110, the web page 8025), so the lessons'
 * text works unchanged, and each one changeable by an option of `wirelens lab`.
 */
import type { LabService } from '../../api/engine-api';

export interface LabPorts {
  smtp: number;
  smtps: number;
  pop3: number;
  pop3s: number;
  http: number;
  ftp: number;
  ftpPassive: { min: number; max: number };
  /** The app's page (browser mode). */
  app: number;
}

export const DEFAULT_LAB_PORTS: LabPorts = {
  smtp: 1025,
  smtps: 1465,
  pop3: 1110,
  pop3s: 1995,
  http: 8080,
  ftp: 2121,
  ftpPassive: { min: 21000, max: 21009 },
  app: 8025,
};

/** The option that sets each port, as `wirelens lab --help` names it. */
export const PORT_OPTIONS: Record<Exclude<keyof LabPorts, 'ftpPassive'>, string> = {
  smtp: '--smtp',
  smtps: '--smtps',
  pop3: '--pop3',
  pop3s: '--pop3s',
  http: '--http',
  ftp: '--ftp',
  app: '--port',
};

export function labServices(p: LabPorts): LabService[] {
  return [
    { protocol: 'smtp', port: p.smtp, tls: 'starttls', option: PORT_OPTIONS.smtp },
    { protocol: 'smtp', port: p.smtps, tls: 'implicit', option: PORT_OPTIONS.smtps },
    { protocol: 'pop3', port: p.pop3, tls: 'starttls', option: PORT_OPTIONS.pop3 },
    { protocol: 'pop3', port: p.pop3s, tls: 'implicit', option: PORT_OPTIONS.pop3s },
    { protocol: 'http', port: p.http, tls: 'none', option: PORT_OPTIONS.http },
    { protocol: 'ftp', port: p.ftp, tls: 'none', option: PORT_OPTIONS.ftp },
  ];
}

/** The capture filter (BPF): the lab's server ports and the FTP passive range, not the app's page. */
export function labCaptureFilter(p: LabPorts): string {
  const ports = [p.smtp, p.smtps, p.pop3, p.pop3s, p.http, p.ftp].map((n) => `port ${n}`).join(' or ');
  return `tcp and (${ports} or portrange ${p.ftpPassive.min}-${p.ftpPassive.max})`;
}

/** Every port must differ, and the passive range must not hold another port. */
export function portConflicts(p: LabPorts): string | null {
  const named = (Object.keys(PORT_OPTIONS) as Array<keyof typeof PORT_OPTIONS>).map(
    (k) => [PORT_OPTIONS[k], p[k]] as const,
  );
  for (let i = 0; i < named.length; i++) {
    for (let j = i + 1; j < named.length; j++)
      if (named[i][1] === named[j][1] && named[i][1] !== 0)
        return `${named[i][0]} and ${named[j][0]} both name port ${named[i][1]}: give each its own port`;
    if (named[i][1] >= p.ftpPassive.min && named[i][1] <= p.ftpPassive.max)
      return `${named[i][0]} ${named[i][1]} is inside the FTP passive range ${p.ftpPassive.min}-${p.ftpPassive.max} (--ftp-pasv): move one of them`;
  }
  return null;
}
