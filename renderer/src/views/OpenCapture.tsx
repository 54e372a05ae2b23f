/**
 * Open a capture from the page (browser mode): the file is read here and handed to the engine in
 * chunks (begin, 512 KiB chunks, end) with a progress bar; each chunk is read and encoded on its own,
 * so the page stays responsive. An engine without chunked uploads (the desktop app) takes it whole.
 */
import { useRef, useState } from 'react';
import { UPLOAD_CHUNK_BYTES, type CaptureInfo, type EngineApi } from '../../../api/engine-api';

const MAX = 512 * 1024 * 1024;

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000) as unknown as number[]);
  return btoa(s);
}

/** How far an upload got: bytes sent of the file's size. */
export interface UploadProgress {
  name: string;
  sent: number;
  total: number;
}

/** Hands a file the user picked or dropped to the engine; `onProgress` after each chunk. */
export async function uploadCapture(engine: EngineApi, file: File, onProgress?: (p: UploadProgress) => void): Promise<CaptureInfo> {
  if (file.size > MAX) throw new Error(`${file.name} is larger than 512 MiB: open it with \`npx wirelens serve ${file.name}\` instead`);
  const { beginUpload, uploadChunk, endUpload, abortUpload } = engine;
  if (!beginUpload || !uploadChunk || !endUpload) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    return engine.openUpload(file.name, toBase64(bytes));
  }
  const { upload } = await beginUpload.call(engine, file.name, file.size);
  try {
    onProgress?.({ name: file.name, sent: 0, total: file.size });
    for (let offset = 0; offset < file.size; offset += UPLOAD_CHUNK_BYTES) {
      const chunk = new Uint8Array(await file.slice(offset, offset + UPLOAD_CHUNK_BYTES).arrayBuffer());
      const { received } = await uploadChunk.call(engine, upload, offset, toBase64(chunk));
      onProgress?.({ name: file.name, sent: received, total: file.size });
    }
    return await endUpload.call(engine, upload);
  } catch (e) {
    void abortUpload?.call(engine, upload).catch(() => undefined);
    throw e;
  }
}

/** The progress bar of an upload under way. */
export function UploadBar({ progress }: { progress: UploadProgress }) {
  const pct = Math.floor((100 * progress.sent) / Math.max(1, progress.total));
  return (
    <span className="upload-progress" role="status">
      <progress data-testid="upload-progress" aria-label={`uploading ${progress.name}`} max={Math.max(1, progress.total)} value={progress.sent} /> uploading {pct}%
    </span>
  );
}

export function OpenCapture(props: { engine: EngineApi; onOpened: (c: CaptureInfo) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const open = async (file: File) => {
    setError(null);
    setBusy(true);
    try {
      props.onOpened(await uploadCapture(props.engine, file, setProgress));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
      setProgress(null);
      if (input.current) input.current.value = '';
    }
  };
  return (
    <span className="open-capture">
      <button type="button" onClick={() => input.current?.click()} disabled={busy}>{busy ? 'Opening…' : 'Open capture…'}</button>
      <input ref={input} type="file" accept=".pcap,.pcapng,.cap,.gz" hidden data-testid="open-file" onChange={(e) => e.target.files?.[0] && void open(e.target.files[0])} />
      {progress && <UploadBar progress={progress} />}
      {error && <span className="warn" data-testid="open-error">{error}</span>}
    </span>
  );
}
