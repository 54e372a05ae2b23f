/** Open a capture from the page (browser mode): the file is read here and handed to the engine. */
import { useRef, useState } from 'react';
import type { CaptureInfo, EngineApi } from '../../../api/engine-api';

const MAX = 512 * 1024 * 1024;

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000) as unknown as number[]);
  return btoa(s);
}

/** Hands a file the user picked or dropped to the engine. */
export async function uploadCapture(engine: EngineApi, file: File): Promise<CaptureInfo> {
  if (file.size > MAX) throw new Error(`${file.name} is larger than 512 MiB: open it with \`npx wirelens serve ${file.name}\` instead`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  return engine.openUpload(file.name, toBase64(bytes));
}

export function OpenCapture(props: { engine: EngineApi; onOpened: (c: CaptureInfo) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const open = async (file: File) => {
    setError(null);
    setBusy(true);
    try {
      props.onOpened(await uploadCapture(props.engine, file));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="open-capture">
      <button type="button" onClick={() => input.current?.click()} disabled={busy}>{busy ? 'Opening…' : 'Open capture…'}</button>
      <input ref={input} type="file" accept=".pcap,.pcapng,.cap,.gz" hidden data-testid="open-file" onChange={(e) => e.target.files?.[0] && void open(e.target.files[0])} />
      {error && <span className="warn" data-testid="open-error">{error}</span>}
    </span>
  );
}
