/**
 * Follow TCP Stream: the connection's conversation, client and server turns distinguished, gaps
 * shown as "[N bytes missing]", as text (Latin-1; control characters made visible), hex dump or
 * raw hex; savable as a text file or as the raw bytes. Payload bytes are shown as text only, never interpreted.
 */
import { useEffect, useState } from 'react';
import type { CaptureId, EngineApi, FollowResult } from '../../../api/engine-api';
import { safeFileName, saveBytes, textToBase64 } from '../client/save-bytes';
import { followText, followTurns, type FollowMode } from '../layout/follow-format';
import { followRawBytes } from './workbench/follow-raw';
import { bytesToBase64 } from './workbench/zip-store';

export function FollowStream(props: { engine: EngineApi; captureId: CaptureId; connection: number; /** Changes while a live capture grows. */ version?: number }) {
  const [res, setRes] = useState<FollowResult | null>(null);
  const [mode, setMode] = useState<FollowMode>('text');
  /** For a TLS connection decrypted with the user's key log: show the decrypted data (else the encrypted bytes). */
  const [decrypted, setDecrypted] = useState(true);
  useEffect(() => setRes(null), [props.engine, props.captureId, props.connection]);
  useEffect(() => {
    let current = true;
    props.engine.follow(props.captureId, props.connection).then((r) => current && setRes(r));
    return () => void (current = false);
  }, [props.engine, props.captureId, props.connection, props.version]);
  if (!res) return <p className="loading">Reading the stream…</p>;
  const shown = res.decrypted && decrypted ? { ...res, segments: res.decrypted } : res;
  const { turns, cut } = followTurns(shown, mode);
  const save = () => void saveBytes(safeFileName(`connection-${props.connection}-stream.txt`, 'stream.txt'), 'text/plain', textToBase64(followText(shown, mode)));
  return (
    <div className="follow" data-testid="follow">
      <p className="follow-head">
        <span className="client">{res.client}</span> (client) ⇄ <span className="server">{res.server}</span> (server) · shown as{' '}
        <select value={mode} onChange={(e) => setMode(e.target.value as FollowMode)} data-testid="follow-mode" aria-label="follow mode">
          <option value="text">text (Latin-1)</option>
          <option value="hex">hex dump</option>
          <option value="raw">raw hex</option>
        </select>{' '}
        <button type="button" onClick={save} data-testid="follow-save">Save as text…</button>{' '}
        <button type="button" onClick={() => void saveBytes(safeFileName(`connection-${props.connection}-stream.bin`, 'stream.bin'), 'application/octet-stream', bytesToBase64(followRawBytes(res)))} data-testid="follow-save-raw" title="The conversation's bytes exactly as carried, both directions in order (Wireshark: Raw)">Save raw bytes…</button>
        {res.decrypted && (
          <label>
            {' '}
            <input type="checkbox" checked={decrypted} onChange={(e) => setDecrypted(e.target.checked)} data-testid="follow-decrypted" /> decrypted with your key log (untick: the encrypted bytes on the wire)
          </label>
        )}
        {cut && <em> — cut: only the start of the stream is shown</em>}
      </p>
      {turns.map((t, i) => (
        <pre key={i} className={`turn ${t.dir}${t.gap ? ' gap' : ''}`}>{t.text}</pre>
      ))}
    </div>
  );
}
