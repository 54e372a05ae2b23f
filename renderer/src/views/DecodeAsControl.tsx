/** Decode As…: force a protocol on this connection's server port, as in Wireshark; the capture is re-read with it. */
import { useState } from 'react';
import { DECODE_AS_PROTOCOLS, type CaptureId, type CaptureInfo, type DecodeAsRule, type EngineApi } from '../../../api/engine-api';

export function DecodeAsControl(props: { engine: EngineApi; captureId: CaptureId; server: string; current: string; onReopened: (c: CaptureInfo) => void }) {
  const port = Number(props.server.split(':').pop());
  const [protocol, setProtocol] = useState<DecodeAsRule['protocol']>(props.current === 'unknown' ? 'smtp' : (props.current as DecodeAsRule['protocol']));
  const [error, setError] = useState<string | null>(null);
  if (!Number.isInteger(port) || port < 1) return null;
  const apply = async () => {
    setError(null);
    try {
      props.onReopened(await props.engine.decodeAs(props.captureId, [{ port, protocol }]));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <span className="decode-as">
      Decode port {port} as{' '}
      <select value={protocol} onChange={(e) => setProtocol(e.target.value as DecodeAsRule['protocol'])} data-testid="decode-as-protocol" aria-label="decode as protocol">
        {DECODE_AS_PROTOCOLS.map((p) => (
          <option key={p} value={p}>{p === 'unknown' ? 'plain TCP (no dissector)' : p}</option>
        ))}
      </select>{' '}
      <button type="button" onClick={() => void apply()} data-testid="decode-as-apply">Apply</button>
      {error && <span className="warn"> {error}</span>}
    </span>
  );
}
