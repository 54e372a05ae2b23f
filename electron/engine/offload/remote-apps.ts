/**
 * The helper thread's application dissectors: the connections the loading thread handed over
 * (RemoteApps.open) are dissected here, from the stream records of the hash batches (app-records.ts)
 * — the same chunks, gaps and end, in the same order, as the loading thread's dissector would have
 * seen — with this thread's hashes, decompression and MIME parsing. Each result goes back once its
 * connection ended and its messages were parsed (not all at the end: held here and copied there at
 * once, they were ~40 MB more at the end of a 1 GiB load).
 */
import { finalizeMessages } from '../../../dissectors/analysis/packet-dissector';
import type { RemoteAppResult } from '../../../dissectors/analysis/types';
import { laterHash } from '../../../dissectors/app/later-hash';
import { finalizeMime } from '../../../dissectors/app/mail/mime';
import type { MailMessage } from '../../../dissectors/app/mail/message';
import { createProtocolSelector, type Selector } from '../../../dissectors/app/selector';
import type { AppContext, AppResult } from '../../../dissectors/app/types';
import type { StreamChunk, StreamGap } from '../../../dissectors/tcp/types';
import { nodeDecompress } from '../decompress';
import { budgetedDecompress } from '../../../dissectors/app/http/decoding-budget';
import { nodeHashes } from '../hashes';
import type { OpenRecord } from './app-records';

interface Remote {
  selector: Selector | null;
  failure: string | null;
}

/** Receives the records (app-records.ts) through hashBatch, which hashes what they carry for the streams' digests. */
export class RemoteAppDissectors {
  private readonly connections = new Map<number, Remote>();
  /** MIME parsing started per complete message (see AppContext.messageComplete). */
  private readonly mime = new Map<MailMessage, Promise<string | null>>();
  /** Results being finished (their messages' MIME parsed) before they are delivered. */
  private readonly finishing = new Set<Promise<void>>();

  /**
   * `queue` runs MIME parses one after another (with the loading thread's messages); `deliver`
   * sends a connection's result back.
   */
  /** node:zlib within the load's content-decoding budget (dissectors/app/http/decoding-budget.ts). */
  private readonly decompress = budgetedDecompress(nodeDecompress);

  constructor(
    private readonly queue: <T>(parse: () => Promise<T>) => Promise<T>,
    private readonly deliver: (id: number, result: RemoteAppResult) => void,
  ) {}

  open(id: number, open: OpenRecord): void {
    const ctx: AppContext = {
      connection: { id, client: open.client, server: open.server },
      sha256: nodeHashes.sha256,
      md5: nodeHashes.md5,
      laterSha256: () => laterHash(nodeHashes),
      decompress: this.decompress,
      expectDataConnection: () => {
        // Only FTP announces data connections, and FTP control connections are never handed over.
        throw new Error('a connection dissected on the helper thread announced an FTP data connection');
      },
      messageComplete: (m) => {
        if (!this.mime.has(m)) this.mime.set(m, this.queue(() => finalizeMime(m, nodeHashes, false)));
      },
    };
    this.connections.set(id, { selector: createProtocolSelector(ctx, { dataExpectation: open.dataExpectation }), failure: null });
  }

  data(id: number, chunk: StreamChunk): void {
    this.run(id, (s) => s.onData(chunk));
  }

  gap(id: number, gap: StreamGap): void {
    this.run(id, (s) => s.onGap(gap));
  }

  /** The streams ended: the result is taken, the dissector let go (as the loading thread does), and the result sent once its messages are parsed. */
  end(id: number): void {
    this.run(id, (s) => s.onEnd());
    const c = this.connections.get(id);
    if (!c) return;
    this.connections.delete(id);
    let result: AppResult | null = null;
    if (c.selector) {
      try {
        result = c.selector.result();
      } catch (e) {
        c.failure = `connection ${id}: ${String(e)}`;
      }
    }
    const failure = c.failure;
    const done = (result ? finalizeMessages(result, { hashes: nodeHashes }, this.mime) : Promise.resolve()).then(() => {
      this.finishing.delete(done);
      this.deliver(id, { result, failure });
    });
    this.finishing.add(done);
  }

  /** After the last record: ends the connections still open, and resolves once every result was sent. */
  async results(): Promise<void> {
    for (const id of [...this.connections.keys()]) this.end(id);
    while (this.finishing.size) await Promise.all([...this.finishing]);
  }

  /** A dissector that throws is let go, its connection noted as failed (the load goes on). */
  private run(id: number, step: (s: Selector) => void): void {
    const c = this.connections.get(id);
    if (!c?.selector) return;
    try {
      step(c.selector);
    } catch (e) {
      c.failure = `connection ${id}: ${String(e)}`;
      c.selector = null;
    }
  }
}
