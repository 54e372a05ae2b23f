/** The main window: capture status, packet list, connections, and the selected connection's diagrams. */
import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { CaptureInfo, EngineApi, LoadStatus, SortColumn } from '../../api/engine-api';
import { CaptureControls } from './views/CaptureControls';
import { ConnectionList } from './views/ConnectionList';
import { ConnectionPane } from './views/ConnectionPane';
import { DisplayControls } from './views/DisplayControls';
import { FilterBar } from './views/FilterBar';
import { OpenCapture, uploadCapture } from './views/OpenCapture';
import { PacketDetailPane } from './views/PacketDetailPane';
import { PacketList } from './views/PacketList';

export function App({ engine }: { engine: EngineApi }) {
  const [capture, setCapture] = useState<CaptureInfo | null>(null);
  const [status, setStatus] = useState<LoadStatus | null>(null);
  const [connection, setConnection] = useState<number | null>(null);
  const [frame, setFrame] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [displayed, setDisplayed] = useState<number | null>(null);
  /** An engine message that does not stop the app (e.g. a file that could not be read). */
  const [notice, setNotice] = useState<string | null>(null);
  const [captureSignal, setCaptureSignal] = useState(0);
  const [sort, setSort] = useState<{ column: SortColumn; descending: boolean } | null>(null);
  const [viewVersion, setViewVersion] = useState(0);
  const [dragging, setDragging] = useState(false);

  // The capture shown, for the event listener (subscribed once).
  const shown = useRef<CaptureInfo | null>(null);
  shown.current = capture;
  useEffect(() => {
    const off = engine.onEvent((e) => {
      const current = shown.current;
      if (e.type === 'status' && current && e.status.id === current.id) setStatus(e.status);
      // A window with nothing open shows the capture the engine opens next (serve FILE, File → Open).
      if (e.type === 'opened' && !current) {
        shown.current = e.capture;
        setCapture(e.capture);
        if (e.status) setStatus(e.status);
      }
      if (e.type === 'error') setNotice(e.message);
      if (e.type === 'menu' && e.command === 'capture-start') setCaptureSignal((n) => n + 1);
    });
    engine.listCaptures().then((list) => {
      if (list.length && !shown.current) setCapture(list[list.length - 1]);
    }, (e: Error) => setError(e.message));
    return off;
  }, [engine]);

  useEffect(() => {
    if (!capture) return;
    let stop = false;
    const poll = () =>
      engine.getStatus(capture.id).then((s) => {
        if (stop) return;
        setStatus(s);
        if (s.state === 'loading') setTimeout(poll, 100);
        else if (s.state === 'capturing') setTimeout(poll, 250);
      });
    void poll();
    return () => void (stop = true);
  }, [engine, capture]);

  // Drag and drop a capture file anywhere on the window to open it.
  const dropProps = {
    onDragOver: (e: DragEvent) => {
      if (!e.dataTransfer.types.includes('Files')) return;
      e.preventDefault();
      setDragging(true);
    },
    onDragLeave: (e: DragEvent) => {
      if (e.currentTarget === e.target) setDragging(false);
    },
    onDrop: (e: DragEvent) => {
      e.preventDefault();
      setDragging(false);
      const file = e.dataTransfer.files[0];
      if (!file) return;
      uploadCapture(engine, file).then(
        (c) => { setConnection(null); setFrame(null); setDisplayed(null); setStatus(null); setNotice(null); setCapture(c); },
        (err: Error) => setNotice(err.message),
      );
    },
  };
  const dropHint = dragging && <div className="drop-hint" data-testid="drop-hint">Drop a .pcap, .pcapng or .gz capture to open it</div>;

  if (error) return <p className="fatal">{error}</p>;
  if (!capture || !status)
    return (
      <div className="app" {...dropProps}>
        {dropHint}
        <header className="bar"><strong>Wirelens</strong><OpenCapture engine={engine} onOpened={setCapture} /><CaptureControls engine={engine} status={null} onStarted={setCapture} openSignal={captureSignal} />{notice && <span className="warn">{notice}</span>}</header>
        <p className="loading">{capture ? 'Opening…' : 'No capture open: choose one with “Open capture…”.'}</p>
      </div>
    );
  const capturing = status.state === 'capturing';
  const ready = status.state === 'ready' || capturing;
  // While capturing, every status refresh is a new version of the data: the views re-query.
  const version = capturing ? status.packets : -1;
  const switchTo = (c: CaptureInfo) => { setConnection(null); setFrame(null); setDisplayed(null); setStatus(null); setSort(null); setCapture(c); };
  const sortBy = (column: SortColumn) => {
    // Ascending, then descending, then back to capture order.
    const next = sort?.column !== column ? { column, descending: false } : !sort.descending ? { column, descending: true } : null;
    engine.setSort(capture.id, next?.column ?? null, next?.descending ?? false).then((r) => {
      if (!r.ok) return setNotice(r.error);
      setSort(next);
      setViewVersion((v) => v + 1);
    });
  };
  return (
    <div className="app" {...dropProps}>
      {dropHint}
      <header className="bar">
        <strong>Wirelens</strong>
        <OpenCapture engine={engine} onOpened={switchTo} />
        <CaptureControls engine={engine} status={status} onStarted={switchTo} openSignal={captureSignal} />
        <span className="capture-name">{capture.name}</span>
        <DisplayControls />
        <span data-testid="status">
          {status.state === 'loading'
            ? `loading ${Math.round((100 * status.bytesRead) / Math.max(1, status.bytesTotal))}% · ${status.packets} packets`
            : capturing
              ? `live · ${status.packets} packets · ${status.connections} connections`
              : `${status.packets} packets${displayed !== null ? ` (${displayed} displayed)` : ''} · ${status.connections} connections · ${status.format ?? capture.format} · ${capture.live ? `captured${capturedWith(status)}` : `opened in ${status.loadMs} ms`}`}
        </span>
        {status.capture && !status.capture.running && location.protocol.startsWith('http') && (
          <a className="download" data-testid="capture-download" href={`download/${encodeURIComponent(capture.id)}${location.search}`} download>Save capture (pcapng)</a>
        )}
        {status.capture?.ended && <span className="warn" data-testid="capture-ended">{status.capture.ended}</span>}
        {status.state === 'loading' && <progress className="load-progress" data-testid="load-progress" max={Math.max(1, status.bytesTotal)} value={status.bytesRead} />}
        {status.truncated && <span className="warn">the file is cut short: the last record is incomplete</span>}
        {status.diagnostics
          .filter((d) => d.code === 'capture.packets_dropped')
          .map((d, i) => (
            <span key={i} className="warn" data-testid="capture-dropped">{d.message}</span>
          ))}
        {status.state === 'error' && <span className="warn" data-testid="status-error">{status.error}</span>}
        {notice && status.state !== 'error' && <span className="warn">{notice}</span>}
      </header>
      <main className="panes">
        <section className="pane packets">
          {ready && <FilterBar engine={engine} captureId={capture.id} total={status.packets} onApplied={setDisplayed} />}
          <PacketList key={`view-${displayed ?? 'all'}-${viewVersion}`} sort={sort} onSort={sortBy} engine={engine} captureId={capture.id} total={capturing ? status.displayed : (displayed ?? status.packets)} follow={capturing} selected={frame} onSelect={(f, conn) => { setFrame(f); if (conn >= 0) setConnection(conn); }} />
        </section>
        <section className="pane connections">{ready && <ConnectionList engine={engine} captureId={capture.id} version={version} selected={connection} onSelect={setConnection} />}</section>
        <section className="pane detail">
          {connection !== null && ready ? (
            <ConnectionPane engine={engine} captureId={capture.id} connection={connection} version={version} onFrame={setFrame} onConnection={setConnection} onReopened={capturing || capture.live ? undefined : (c) => { const keep = connection; switchTo(c); setConnection(keep); }} />
          ) : (
            <p className="hint">Choose a connection to see its handshake and its conversation as a ladder diagram.</p>
          )}
        </section>
        <section className="pane packet-detail">{frame !== null && <PacketDetailPane engine={engine} captureId={capture.id} frame={frame} />}</section>
      </main>
    </div>
  );
}

/** " with dumpcap, 0 dropped by the kernel" once a live capture stopped (dumpcap reports drops; cap cannot). */
function capturedWith(status: LoadStatus): string {
  const c = status.capture;
  if (!c) return '';
  if (c.backend === 'cap') return ' with libpcap';
  return ` with dumpcap${c.kernelDropped !== null ? `, ${c.kernelDropped} dropped by the kernel` : ''}`;
}
