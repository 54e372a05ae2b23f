/**
 * File › Merge: several capture files as one, their packets in time order (as Wireshark's merge and
 * `mergecap` do by default). The captures open in this engine are listed; another file can be added
 * from the computer. The merged capture opens in place of the current one (a pcapng file that
 * Export packets can save).
 */
import { useEffect, useState } from 'react';
import type { CaptureId, CaptureInfo, EngineApi } from '../../../../api/engine-api';
import { visible } from '../../text/visible';
import { uploadCapture } from '../OpenCapture';

export function MergeCaptures(props: {
  engine: EngineApi;
  current: CaptureInfo;
  onOpened: (c: CaptureInfo) => void;
}) {
  const { engine, current } = props;
  const [open, setOpen] = useState<CaptureInfo[]>([]);
  const [chosen, setChosen] = useState<Set<CaptureId>>(new Set([current.id]));
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let alive = true;
    engine.listCaptures().then(
      (l) => alive && setOpen(l.filter((c) => !c.live)),
      (e: Error) => alive && setMessage(e.message),
    );
    return () => void (alive = false);
  }, [engine, version]);
  const toggle = (id: CaptureId, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    setChosen(next);
  };
  const add = async (file: File | undefined) => {
    if (!file) return;
    setMessage(null);
    try {
      const c = await uploadCapture(engine, file);
      setChosen(new Set([...chosen, c.id]));
      setVersion((v) => v + 1);
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  const merge = async () => {
    setBusy(true);
    setMessage(null);
    try {
      props.onOpened(await engine.mergeCaptures!([...chosen]));
    } catch (e) {
      setMessage((e as Error).message);
      setBusy(false);
    }
  };
  return (
    <div className="merge-captures" data-testid="merge-captures">
      <p className="wb-intro">
        Merge puts the packets of several captures into one, ordered by their timestamps — for example the
        client&apos;s and the server&apos;s captures of the same conversation. Each file&apos;s interfaces
        stay separate.
      </p>
      <fieldset>
        <legend>Captures to merge</legend>
        {open.map((c) => (
          <label key={c.id} className="wb-choice">
            <input
              type="checkbox"
              checked={chosen.has(c.id)}
              onChange={(e) => toggle(c.id, e.target.checked)}
            />{' '}
            {visible(c.name)}
            {c.id === current.id ? ' (shown now)' : ''}
          </label>
        ))}
        <label className="wb-choice">
          Add a file…{' '}
          <input
            type="file"
            accept=".pcap,.pcapng,.cap,.gz"
            onChange={(e) => void add(e.target.files?.[0])}
            data-testid="merge-add"
          />
        </label>
      </fieldset>
      <div className="wb-row">
        <button
          type="button"
          disabled={busy || chosen.size < 2}
          onClick={() => void merge()}
          data-testid="merge-run"
        >
          {busy ? 'Merging…' : `Merge ${chosen.size} captures`}
        </button>
        {message && <span role="status">{visible(message)}</span>}
      </div>
    </div>
  );
}
