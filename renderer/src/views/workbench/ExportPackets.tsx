/**
 * Export Specified Packets (Wireshark's File › Export Specified Packets): all packets, those the
 * display filter shows, the marked ones or a range, saved as pcapng (with the packets' comments) or
 * pcap, through the Save dialog (desktop) or a download (browser).
 */
import { useState } from 'react';
import type { CaptureId, EngineApi, PacketSelection } from '../../../../api/engine-api';
import { saveBytes } from '../../client/save-bytes';

export function ExportPackets(props: {
  engine: EngineApi;
  captureId: CaptureId;
  total: number;
  displayed: number | null;
  marked: number;
}) {
  const [kind, setKind] = useState<PacketSelection['kind']>(props.displayed !== null ? 'displayed' : 'all');
  const [first, setFirst] = useState(1);
  const [last, setLast] = useState(props.total);
  const [format, setFormat] = useState<'pcapng' | 'pcap'>('pcapng');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const selection: PacketSelection = kind === 'range' ? { kind, first, last } : { kind };
    setBusy(true);
    setMessage(null);
    try {
      const r = await props.engine.exportPackets!(props.captureId, selection, format);
      await saveBytes(r.filename, 'application/octet-stream', r.bytesBase64);
      setMessage(`saved ${r.packets} packet(s) as ${r.filename}`);
    } catch (e) {
      setMessage((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const choice = (k: PacketSelection['kind'], label: string, disabled = false) => (
    <label className="wb-choice">
      <input
        type="radio"
        name="export-which"
        value={k}
        checked={kind === k}
        disabled={disabled}
        onChange={() => setKind(k)}
      />{' '}
      {label}
    </label>
  );
  return (
    <div className="export-packets" data-testid="export-packets">
      <p className="wb-intro">
        Save some of the packets as a new capture file, for a classmate or for Wireshark. pcapng keeps the
        packets&apos; comments; pcap cannot hold them.
      </p>
      <fieldset>
        <legend>Packets</legend>
        {choice('all', `all ${props.total}`)}
        {choice(
          'displayed',
          `displayed by the filter${props.displayed !== null ? ` (${props.displayed})` : ' (no filter applied)'}`,
        )}
        {choice('marked', `marked (${props.marked}) — Ctrl+M marks the selected packet`, props.marked === 0)}
        <label className="wb-choice">
          <input
            type="radio"
            name="export-which"
            value="range"
            checked={kind === 'range'}
            onChange={() => setKind('range')}
          />{' '}
          range from{' '}
          <input
            type="number"
            min={1}
            max={props.total}
            value={first}
            onChange={(e) => setFirst(Number(e.target.value))}
            aria-label="first packet"
            className="wb-num"
          />{' '}
          to{' '}
          <input
            type="number"
            min={1}
            max={props.total}
            value={last}
            onChange={(e) => setLast(Number(e.target.value))}
            aria-label="last packet"
            className="wb-num"
          />
        </label>
      </fieldset>
      <div className="wb-row">
        <label>
          Format{' '}
          <select
            value={format}
            onChange={(e) => setFormat(e.target.value as 'pcap' | 'pcapng')}
            data-testid="export-format"
          >
            <option value="pcapng">pcapng (comments kept)</option>
            <option value="pcap">pcap</option>
          </select>
        </label>
        <button type="button" onClick={() => void save()} disabled={busy} data-testid="export-packets-save">
          {busy ? 'Saving…' : 'Save…'}
        </button>
        {message && <span role="status">{message}</span>}
      </div>
    </div>
  );
}
