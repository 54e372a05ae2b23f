/**
 * Live capture controls: choose an interface and a capture (BPF) filter, start; while capturing,
 * the live statistics and Stop. Errors from libpcap (permissions, bad filter) are shown as the
 * engine words them: what happened and what to do.
 */
import { useEffect, useState } from 'react';
import type { CaptureBackendChoice, CaptureInfo, EngineApi, InterfaceInfo, LoadStatus } from '../../../api/engine-api';
import { interfaceLabel, orderInterfaces } from '../layout/interface-order';
import './capture-form.css';

const BACKEND_LABELS: Record<CaptureBackendChoice, string> = {
  auto: 'automatic (dumpcap if installed)',
  dumpcap: "Wireshark's dumpcap",
  cap: 'libpcap (cap)',
};

export function CaptureControls(props: { engine: EngineApi; status: LoadStatus | null; onStarted: (c: CaptureInfo) => void; /** Incremented by Capture → Start… in the desktop menu. */ openSignal?: number }) {
  const { engine, status } = props;
  const [open, setOpen] = useState(false);
  const [ifaces, setIfaces] = useState<InterfaceInfo[] | null>(null);
  const [iface, setIface] = useState('');
  const [filter, setFilter] = useState('');
  const [snaplen, setSnaplen] = useState(65535);
  const [backend, setBackend] = useState<CaptureBackendChoice>('auto');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const live = status?.capture ?? null;

  const show = async () => {
    setOpen(true);
    setError(null);
    try {
      const list = await engine.listInterfaces();
      setIfaces(list);
      const { useful, more } = orderInterfaces(list);
      setIface((cur) => cur || (useful[0] ?? more[0])?.name || '');
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      props.onStarted(await engine.startCapture({ iface, filter: filter.trim(), snaplen, backend }));
      setOpen(false);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const stop = async () => {
    if (!status) return;
    setBusy(true);
    try {
      await engine.stopCapture(status.id);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (props.openSignal) void show();
  }, [props.openSignal]);
  const ordered = orderInterfaces(ifaces ?? []);

  if (live?.running)
    return (
      <span className="capture-controls">
        <button type="button" data-testid="capture-stop" onClick={() => void stop()} disabled={busy}>{busy ? 'Stopping…' : 'Stop capture'}</button>
        <span className="live-dot" aria-hidden="true">●</span>
        <span data-testid="capture-stats">
          capturing on {live.iface}{live.filter ? ` (${live.filter})` : ''} with {live.backend === 'dumpcap' ? 'dumpcap' : 'libpcap'}: {live.packets} packets written
          {live.ifReceived !== null ? ` · interface received ${live.ifReceived}, dropped ${live.ifDropped ?? 0}` : ''}
        </span>
        {error && <span className="warn capture-error" role="alert" data-testid="capture-error">{error}</span>}
      </span>
    );
  return (
    <span className="capture-controls">
      <button type="button" data-testid="capture-open" onClick={() => (open ? setOpen(false) : void show())}>Capture…</button>
      {open && (
        <form className="capture-form" data-testid="capture-form" aria-label="Start a live capture" onSubmit={(e) => { e.preventDefault(); void start(); }} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          <label>
            Interface{' '}
            <select data-testid="capture-iface" value={iface} onChange={(e) => setIface(e.target.value)}>
              {ordered.useful.map((i) => (
                <option key={i.name} value={i.name}>{interfaceLabel(i)}</option>
              ))}
              {ordered.more.length > 0 && (
                <optgroup label="more (rarely useful for lessons)" data-testid="capture-iface-more">
                  {ordered.more.map((i) => (
                    <option key={i.name} value={i.name}>{interfaceLabel(i)}</option>
                  ))}
                </optgroup>
              )}
            </select>
          </label>
          <input data-testid="capture-filter" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Capture filter (BPF), e.g. tcp port 1025 or tcp port 1110" aria-label="capture filter" spellCheck={false} />
          <details className="capture-options">
            <summary>Options</summary>
          <label>
            Bytes kept of each packet (snaplen) <input type="number" className="snaplen" min={64} max={262144} value={snaplen} onChange={(e) => setSnaplen(Math.max(64, Math.min(262144, Number(e.target.value) || 65535)))} data-testid="capture-snaplen" />
          </label>
          <label>
            Capture with{' '}
            <select data-testid="capture-backend" value={backend} onChange={(e) => setBackend(e.target.value as CaptureBackendChoice)}>
              {(Object.keys(BACKEND_LABELS) as CaptureBackendChoice[]).map((b) => (
                <option key={b} value={b}>{BACKEND_LABELS[b]}</option>
              ))}
            </select>
          </label>
            <p className="capture-options-note">dumpcap captures in blocks, with the kernel's timestamps and drop counts; libpcap (cap) hands each packet over at once.</p>
          </details>
          <button type="submit" data-testid="capture-start" disabled={busy || !iface}>{busy ? 'Starting…' : 'Start'}</button>
        </form>
      )}
      {error && <span className="warn capture-error" role="alert" data-testid="capture-error">{error}</span>}
    </span>
  );
}
