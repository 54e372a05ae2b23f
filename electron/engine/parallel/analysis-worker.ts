/**
 * An analysis worker: dissects the packets of one share of the flows (all packets between the same
 * two addresses) with the same PacketDissector a sequential load uses, answering each batch with
 * the packet-index columns it computed, and at the end with its connections. Started with the
 * helper role, it hashes a sequential load's streams and parses its messages instead (offload/).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { newPacketFields, PacketDissector } from '../../../dissectors/analysis/packet-dissector';
import { nodeDecompress } from '../decompress';
import { nodeHashes } from '../hashes';
import { HELPER_ROLE } from '../offload/offload-messages';
import { serveOffload } from '../offload/offload-worker';
import { columnBuffers, FIELDS, type FromWorker, type ShareOptions, type ToWorker } from './share-messages';

const port = parentPort;
if (!port) throw new Error('analysis-worker runs as a worker thread');
if ((workerData as { role?: string } | null)?.role === HELPER_ROLE) serveOffload(port);
else serveShare(port, (workerData ?? {}) as ShareOptions);

function serveShare(port: NonNullable<typeof parentPort>, options: ShareOptions): void {
  const dissector = new PacketDissector({ ...options, hashes: nodeHashes, decompress: nodeDecompress });
  const f = newPacketFields();
  /** Connections per message at the end. */
  const SLICE = 256;

  function post(msg: FromWorker, transfer: ArrayBuffer[] = []): void {
    port.postMessage(msg, transfer);
  }

  port.on('message', (msg: ToWorker) => {
    try {
      if (msg.type === 'batch') {
        const out = new Int32Array(msg.count * FIELDS);
        for (let k = 0; k < msg.count; k++) {
          const data = msg.bytes.subarray(msg.offsets[k], msg.offsets[k + 1]);
          dissector.dissect(msg.frames[k], msg.linkTypes[k], data, msg.times[k], f);
          const o = k * FIELDS;
          out[o] = f.flags;
          out[o + 1] = f.conn;
          out[o + 2] = f.relSeq;
          out[o + 3] = f.relAck;
          out[o + 4] = f.tcpFlags;
          out[o + 5] = f.analysis;
        }
        // The dissector copies what it keeps, so the batch's columns go back to be filled again.
        const columns = { frames: msg.frames, linkTypes: msg.linkTypes, times: msg.times, offsets: msg.offsets, bytes: msg.bytes };
        post({ type: 'batch', id: msg.id, fields: out, connections: dissector.connectionCount, columns }, [out.buffer, ...columnBuffers(columns)]);
      } else if (msg.type === 'finish') {
        dissector.finishShare().then(
          // finishShare() leaves plain data (selectors replaced by their choice, no running hashes).
          (all) => {
            // In slices, dropping each once sent: the copy being posted stays small.
            const n = Math.max(all.models.length, all.states.length, all.apps.length);
            for (let from = 0; from < n; from += SLICE) {
              post({ type: 'connections', from, models: all.models.slice(from, from + SLICE), states: all.states.slice(from, from + SLICE), apps: all.apps.slice(from, from + SLICE) });
              for (let k = from; k < Math.min(n, from + SLICE); k++) {
                delete all.models[k];
                delete all.states[k];
                delete all.apps[k];
              }
            }
            post({ type: 'finished', output: { ...all, models: [], states: [], apps: [] } });
          },
          (e: unknown) => post({ type: 'failed', message: String(e) }),
        );
      }
    } catch (e) {
      post({ type: 'failed', message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
    }
  });
}
