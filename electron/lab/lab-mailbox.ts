/**
 * The lab's mailbox: every message the lab's SMTP server accepted, in arrival order, as the POP3
 * server serves them and the app's lab inbox shows them. Bounded like Mailpit: at most `maxMessages`
 * messages and `maxBytes` bytes in all, the oldest dropped first.
 */
export interface LabEnvelope {
  mailFrom: string;
  rcptTo: string[];
}

export interface LabClient {
  address: string;
  port: number;
}

export interface StoredMessage {
  /** Unique for the lab's run, used as the POP3 UIDL. */
  uid: string;
  receivedAt: string;
  envelope: LabEnvelope;
  /** The SMTP client that delivered it (its address and port name the connection in the capture). */
  deliveredBy: LabClient & { tls: boolean; user: string | null };
  /** The message as received after the DATA command, lines ending in CRLF. */
  raw: Buffer;
  /** POP3 clients that retrieved it (RETR or TOP). */
  retrievedBy: Array<LabClient & { tls: boolean; at: string }>;
}

export const LAB_MAILBOX_LIMITS = { maxMessages: 500, maxBytes: 200 * 1024 * 1024 };

export class LabMailbox {
  private readonly messages: StoredMessage[] = [];
  private bytes = 0;
  private next = 1;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly limits = LAB_MAILBOX_LIMITS) {}

  add(
    envelope: LabEnvelope,
    raw: Buffer,
    deliveredBy: StoredMessage['deliveredBy'],
    now = new Date(),
  ): StoredMessage {
    const m: StoredMessage = {
      uid: `lab-${this.next++}-${now.getTime().toString(36)}`,
      receivedAt: now.toISOString(),
      envelope,
      deliveredBy,
      raw: toCrlf(raw),
      retrievedBy: [],
    };
    this.messages.push(m);
    this.bytes += m.raw.length;
    while (
      this.messages.length > this.limits.maxMessages ||
      (this.bytes > this.limits.maxBytes && this.messages.length > 1)
    )
      this.remove(this.messages[0].uid);
    this.changed();
    return m;
  }

  list(): readonly StoredMessage[] {
    return this.messages;
  }

  get(uid: string): StoredMessage | undefined {
    return this.messages.find((m) => m.uid === uid);
  }

  remove(uid: string): boolean {
    const i = this.messages.findIndex((m) => m.uid === uid);
    if (i < 0) return false;
    this.bytes -= this.messages[i].raw.length;
    this.messages.splice(i, 1);
    this.changed();
    return true;
  }

  noteRetrieval(uid: string, by: LabClient & { tls: boolean }, now = new Date()): void {
    const m = this.get(uid);
    if (m && m.retrievedBy.length < 100) m.retrievedBy.push({ ...by, at: now.toISOString() });
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

/** Lone LF or CR line ends become CRLF, so sizes and POP3 transfers count the octets the RFC means. */
export function toCrlf(raw: Buffer): Buffer {
  if (!raw.includes(0x0a) && !raw.includes(0x0d)) return raw;
  const text = raw.toString('latin1').replace(/\r\n|\r|\n/g, '\r\n');
  return Buffer.from(text, 'latin1');
}
