/**
 * Export Objects (Wireshark's File › Export Objects): the files the traffic carried — HTTP bodies,
 * mail messages (.eml) and attachments, FTP-DATA files — listed with their packet, host, type, size
 * and name; each can be saved, or all of those shown at once as one .zip. Names come from the
 * traffic and were made safe by the engine; nothing is opened or rendered, only saved.
 */
import { useEffect, useState } from 'react';
import type {
  CaptureId,
  EngineApi,
  ExportObjectInfo,
  ExportObjectProtocol,
} from '../../../../api/engine-api';
import { saveBytes } from '../../client/save-bytes';
import { visible } from '../../text/visible';
import { base64ToBytes, bytesToBase64, MAX_ZIP_BYTES, zipStore } from './zip-store';

const PROTOCOL_NAME: Record<ExportObjectProtocol, string> = {
  http: 'HTTP',
  imf: 'Mail (IMF)',
  'ftp-data': 'FTP-DATA',
};

function size(n: number): string {
  return n < 1024
    ? `${n} B`
    : n < 1024 * 1024
      ? `${(n / 1024).toFixed(1)} KiB`
      : `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function ExportObjects(props: {
  engine: EngineApi;
  captureId: CaptureId;
  captureName: string;
  onFrame: (frame: number, connection: number) => void;
}) {
  const [list, setList] = useState<ExportObjectInfo[] | null>(null);
  const [protocol, setProtocol] = useState<ExportObjectProtocol | 'all'>('all');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { engine, captureId } = props;
  useEffect(() => {
    let current = true;
    setList(null);
    if (!engine.listExportObjects) return setMessage('this engine cannot export objects');
    engine.listExportObjects(captureId).then(
      (l) => current && setList(l),
      (e: Error) => current && setMessage(e.message),
    );
    return () => void (current = false);
  }, [engine, captureId]);
  if (!list) return <p className={message ? 'warn' : 'loading'}>{message ?? 'Listing the objects…'}</p>;
  const shown = list.filter((o) => protocol === 'all' || o.protocol === protocol);
  const saveOne = async (o: ExportObjectInfo) => {
    try {
      const r = await engine.getExportObject!(captureId, o.index);
      await saveBytes(r.filename, 'application/octet-stream', r.bytesBase64);
      setMessage(`saved ${o.filename}`);
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  const saveAll = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const entries: Array<{ name: string; bytes: Uint8Array }> = [];
      const failed: string[] = [];
      let total = 0;
      for (const o of shown) {
        // The archive is built in the page: it stops before passing its bound.
        if (total + o.size > MAX_ZIP_BYTES) {
          failed.push(
            `${o.filename} and the rest (past ${MAX_ZIP_BYTES / 1024 / 1024} MiB: use wirelens export-objects)`,
          );
          break;
        }
        total += o.size;
        try {
          const r = await engine.getExportObject!(captureId, o.index);
          entries.push({ name: `${o.protocol}/${r.filename}`, bytes: base64ToBytes(r.bytesBase64) });
        } catch {
          failed.push(o.filename);
        }
      }
      const stem = props.captureName.replace(/\.(pcapng|pcap|cap)(\.gz)?$/i, '') || 'capture';
      await saveBytes(`${stem}-objects.zip`, 'application/zip', bytesToBase64(zipStore(entries)));
      setMessage(
        `saved ${entries.length} object(s) in one .zip${failed.length ? `; not saved (bytes missing from the capture or too large): ${failed.join(', ')}` : ''}`,
      );
    } catch (e) {
      setMessage((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="export-objects" data-testid="export-objects">
      <p className="wb-intro">
        Files the traffic carried, as the receiver got them (HTTP bodies de-chunked and decompressed, mail as
        sent). They are only saved, never opened here: a file from a capture may be hostile.
      </p>
      <div className="wb-row">
        <label>
          Protocol{' '}
          <select
            value={protocol}
            onChange={(e) => setProtocol(e.target.value as ExportObjectProtocol | 'all')}
            data-testid="objects-protocol"
          >
            <option value="all">all ({list.length})</option>
            {(Object.keys(PROTOCOL_NAME) as ExportObjectProtocol[]).map((p) => (
              <option key={p} value={p}>
                {PROTOCOL_NAME[p]} ({list.filter((o) => o.protocol === p).length})
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={busy || shown.length === 0}
          onClick={() => void saveAll()}
          data-testid="objects-save-all"
        >
          {busy ? 'Saving…' : `Save all ${shown.length} (.zip)…`}
        </button>
        {message && <span role="status">{visible(message)}</span>}
      </div>
      {shown.length === 0 ? (
        <p>No {protocol === 'all' ? '' : `${PROTOCOL_NAME[protocol]} `}object in this capture.</p>
      ) : (
        <table className="wb-table">
          <thead>
            <tr>
              <th scope="col" className="num">
                Packet
              </th>
              <th scope="col">Protocol</th>
              <th scope="col">Host / sender</th>
              <th scope="col">Content type</th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col">File name</th>
              <th scope="col">
                <span className="sr-only">Save</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((o) => (
              <tr key={o.index} data-testid="object-row">
                <td className="num">
                  <button type="button" className="link" onClick={() => props.onFrame(o.frame, o.connection)}>
                    {o.frame}
                  </button>
                </td>
                <td>{PROTOCOL_NAME[o.protocol]}</td>
                <td className="wb-cut" title={visible(o.host)}>
                  {visible(o.host)}
                </td>
                <td className="wb-cut">{visible(o.contentType)}</td>
                <td className="num">{size(o.size)}</td>
                <td className="wb-cut" title={`sha256 ${o.sha256}`}>
                  {visible(o.filename)}
                </td>
                <td>
                  <button
                    type="button"
                    onClick={() => void saveOne(o)}
                    aria-label={`Save ${visible(o.filename)}`}
                  >
                    Save…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
