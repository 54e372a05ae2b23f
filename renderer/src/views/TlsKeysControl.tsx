/**
 * TLS keys…: load an NSS key log (SSLKEYLOGFILE, openssl -keylogfile) for the open capture — picked
 * or dropped on the button; the engine reads the capture again with it, and the encrypted bands of
 * the sessions it matches show the protocol inside. Says what the key log gave and matched.
 */
import { useRef, useState } from 'react';
import type { CaptureInfo, EngineApi, KeyLogResult } from '../../../api/engine-api';
import { safeFileName, saveBytes } from '../client/save-bytes';

/** Largest key log read in the page (a key log is about 200 bytes a session). */
const MAX_KEYLOG_BYTES = 16 * 1024 * 1024;

export function keyLogSummary(r: KeyLogResult): string {
  const parts = [`${r.keys} key${r.keys === 1 ? '' : 's'} loaded`];
  if (r.skipped)
    parts.push(
      `${r.skipped} line${r.skipped === 1 ? '' : 's'} skipped (${r.firstProblem ?? 'not key log lines'})`,
    );
  if (r.decrypted.length) parts.push(`decrypted: ${r.decrypted.map((c) => `#${c}`).join(', ')}`);
  else parts.push('no TLS session of this capture matches these keys');
  return parts.join('; ');
}

export function TlsKeysControl(props: {
  engine: EngineApi;
  captureId: string;
  onReopened: (c: CaptureInfo) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [message, setMessage] = useState<{ text: string; warn: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  /** The capture the key log decrypted: it can be saved with its keys inside. */
  const [decrypted, setDecrypted] = useState<string | null>(null);
  const load = props.engine.loadKeyLog?.bind(props.engine);
  if (!load) return null;
  const use = async (file: File) => {
    setMessage(null);
    if (file.size > MAX_KEYLOG_BYTES)
      return setMessage({
        text: `${file.name} is larger than 16 MiB: keep only the lines of the sessions in this capture`,
        warn: true,
      });
    setBusy(true);
    try {
      const r = await load(props.captureId, file.name, await file.text());
      props.onReopened(r.capture);
      setDecrypted(r.decrypted.length ? r.capture.id : null);
      setMessage({ text: `${file.name}: ${keyLogSummary(r)}`, warn: r.decrypted.length === 0 });
    } catch (e) {
      setMessage({ text: (e as Error).message, warn: true });
    } finally {
      setBusy(false);
    }
  };
  return (
    <span
      className="tls-keys"
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        e.stopPropagation();
        const f = e.dataTransfer.files?.[0];
        if (f) void use(f);
      }}
    >
      <button
        type="button"
        onClick={() => input.current?.click()}
        disabled={busy}
        title="Load the TLS session keys your client wrote (SSLKEYLOGFILE or openssl -keylogfile) to see inside TLS"
        data-testid="tls-keys"
      >
        {busy ? 'Decrypting…' : 'TLS keys…'}
      </button>
      <input
        ref={input}
        type="file"
        hidden
        data-testid="tls-keys-file"
        onChange={(e) => e.target.files?.[0] && void use(e.target.files[0])}
      />
      {decrypted === props.captureId && props.engine.saveWithTlsKeys && (
        <button
          type="button"
          data-testid="save-with-keys"
          title="Save this capture as pcapng with the keys that matched inside it (Wireshark and Wirelens decrypt it with no key log)"
          onClick={() =>
            void props.engine.saveWithTlsKeys!(props.captureId).then(
              (r) =>
                saveBytes(
                  safeFileName(r.filename, 'capture-with-keys.pcapng'),
                  'application/vnd.tcpdump.pcap',
                  r.bytesBase64,
                ),
              (e: Error) => setMessage({ text: e.message, warn: true }),
            )
          }
        >
          Save with keys…
        </button>
      )}
      {message && (
        <span className={message.warn ? 'warn' : 'note'} role="status" data-testid="tls-keys-result">
          {' '}
          {message.text}
        </span>
      )}
    </span>
  );
}
