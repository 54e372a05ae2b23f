/**
 * The main window, laid out for lessons: packets and connections on top, the selected connection's
 * ladder beside the explanation of the selected step in the middle, the packet's layers and bytes
 * below; splitters between them (sizes remembered). →/← (n/p, Space) step through the connection.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import type { CaptureInfo, ConnectionRow, ConnectionView, EngineApi, LoadStatus, SortColumn } from '../../api/engine-api';
import { lessonConnection, lessonSteps, stepOfFrame } from './layout/lesson-steps';
import { parseSlide, slideFragment } from './layout/slide-fragment';
import { CaptureControls } from './views/CaptureControls';
import { ConnectionList } from './views/ConnectionList';
import { ConnectionPane } from './views/ConnectionPane';
import { DisplayControls } from './views/DisplayControls';
import { FilterBar } from './views/FilterBar';
import { LabPanel } from './views/LabPanel';
import { OpenCapture, UploadBar, uploadCapture, type UploadProgress } from './views/OpenCapture';
import { TlsKeysControl } from './views/TlsKeysControl';
import { PacketDetailPane } from './views/PacketDetailPane';
import { PacketList } from './views/PacketList';
import { Presenter } from './views/Presenter';
import { Splitter, useStoredFraction } from './views/Splitter';
import { useStepKeys } from './views/use-step-keys';
import { Workbench } from './views/workbench/Workbench';
import { Statistics } from './views/stats/Statistics';

const SPLITTER = 6;

export function App({ engine }: { engine: EngineApi }) {
  const [capture, setCapture] = useState<CaptureInfo | null>(null);
  const [status, setStatus] = useState<LoadStatus | null>(null);
  const [connection, setConnection] = useState<number | null>(null);
  const [frame, setFrame] = useState<number | null>(null);
  /** A frame to bring into view in the packet list without selecting it (a chosen connection's first). */
  const [reveal, setReveal] = useState<number | null>(null);
  const [step, setStep] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [displayed, setDisplayed] = useState<number | null>(null);
  const [filter, setFilter] = useState('');
  /** An engine message that does not stop the app (e.g. a file that could not be read). */
  const [notice, setNotice] = useState<string | null>(null);
  const [captureSignal, setCaptureSignal] = useState(0);
  const [sort, setSort] = useState<{ column: SortColumn; descending: boolean } | null>(null);
  const [viewVersion, setViewVersion] = useState(0);
  const [dragging, setDragging] = useState(false);
  const [rows, setRows] = useState<ConnectionRow[]>([]);
  const [view, setView] = useState<ConnectionView | null>(null);
  /** The engine's list of open captures has been read: until then "No capture open" would be a guess. */
  const [listed, setListed] = useState(false);
  /** Presenter mode (only the ladder and the explanation, large). */
  const [presenting, setPresenting] = useState(false);
  /** A dropped file's upload under way. */
  const [dropUpload, setDropUpload] = useState<UploadProgress | null>(null);
  /** The slide the page's URL fragment named (#c=…&conn=…&step=…), applied once its capture is shown. */
  const pendingSlide = useRef(parseSlide(location.hash));

  // The capture shown, for the event listener (subscribed once).
  const shown = useRef<CaptureInfo | null>(null);
  shown.current = capture;

  /** Shows another capture: nothing of the previous one stays on screen. */
  const switchTo = useCallback((c: CaptureInfo) => {
    shown.current = c;
    setConnection(null);
    setFrame(null);
    setReveal(null);
    setStep(null);
    setView(null);
    setRows([]);
    setDisplayed(null);
    setFilter('');
    setStatus(null);
    setSort(null);
    setNotice(null);
    setViewVersion((v) => v + 1);
    setListed(true);
    setPresenting(false);
    setCapture(c);
  }, []);

  useEffect(() => {
    const off = engine.onEvent((e) => {
      const current = shown.current;
      if (e.type === 'status' && current && e.status.id === current.id) setStatus(e.status);
      // A window with nothing open shows the capture the engine opens next (serve FILE, File → Open).
      if (e.type === 'opened' && !current) {
        switchTo(e.capture);
        if (e.status) setStatus(e.status);
      }
      if (e.type === 'error') setNotice(e.message);
      if (e.type === 'menu' && e.command === 'capture-start') setCaptureSignal((n) => n + 1);
    });
    engine.listCaptures().then(
      (list) => {
        // The capture the URL fragment names, when it is open; else the last one opened.
        const named = list.find((c) => c.id === pendingSlide.current?.capture);
        if (!named) pendingSlide.current = null;
        const last = named ?? list[list.length - 1];
        if (last && !shown.current) {
          // A filter or sort left by an earlier page on this capture would be in force without being
          // shown: this page starts from the capture as it is.
          void engine.setFilter(last.id, '').then(() => engine.setSort(last.id, null, false)).finally(() => {
            switchTo(last);
            const slide = pendingSlide.current;
            if (slide) {
              // The slide's connection, not the first lesson connection.
              autoFor.current = last.id;
              setConnection(slide.connection);
              setPresenting(slide.present);
            }
          });
        } else setListed(true);
      },
      (e: Error) => setError(e.message),
    );
    return off;
  }, [engine, switchTo]);

  useEffect(() => {
    if (!capture) return;
    let stop = false;
    const poll = () =>
      engine.getStatus(capture.id).then(
        (s) => {
          if (stop) return;
          setStatus(s);
          if (s.state === 'loading') setTimeout(poll, 100);
          else if (s.state === 'capturing') setTimeout(poll, 250);
        },
        (e: Error) => !stop && setNotice(e.message),
      );
    void poll();
    return () => void (stop = true);
  }, [engine, capture]);

  const capturing = status?.state === 'capturing';
  const ready = status?.state === 'ready' || capturing;
  // While capturing, every status refresh is a new version of the data: the views re-query.
  const version = capturing ? status!.packets : status?.state === 'ready' ? -1 : -2;
  const captureId = capture?.id ?? null;

  // The connections (the list, the first lesson connection and the capture's "What went wrong").
  const autoFor = useRef<string | null>(null);
  useEffect(() => {
    if (!captureId || !ready) return;
    let current = true;
    engine.getConnections(captureId).then((list) => {
      if (!current) return;
      setRows(list);
      // On opening any capture (file, upload, drop, live), the first connection with an application protocol.
      if (autoFor.current !== captureId && list.length) {
        autoFor.current = captureId;
        const pick = lessonConnection(list);
        setConnection((c) => c ?? pick);
      }
    });
    return () => void (current = false);
  }, [engine, captureId, ready, version]);

  // The selected connection's view (ladder, model, diagnostics, marked frames).
  useEffect(() => {
    setView(null);
  }, [captureId, connection]);
  useEffect(() => {
    if (!captureId || connection === null || !ready) return;
    let current = true;
    engine.getConnection(captureId, connection).then(
      (v) => current && setView(v),
      (e: Error) => current && setNotice(e.message),
    );
    return () => void (current = false);
  }, [engine, captureId, connection, ready, version]);

  const steps = useMemo(() => (view ? lessonSteps(view.model, view.ladder) : []), [view]);
  const viewFor = view && view.row.id === connection ? view : null;

  // A packet row clicked in another connection: its step is chosen once that connection's view is here.
  const pendingFrame = useRef<number | null>(null);
  useEffect(() => {
    if (!viewFor || pendingFrame.current === null) return;
    const f = pendingFrame.current;
    pendingFrame.current = null;
    const s = stepOfFrame(steps, viewFor.ladder, f);
    setStep(s >= 0 ? s : null);
  }, [viewFor, steps]);

  const chooseConnection = useCallback(
    (id: number) => {
      if (id === connection) return;
      setConnection(id);
      setStep(null);
      // Details of a frame of the previous connection would be stale.
      setFrame(null);
      const row = rows.find((r) => r.id === id);
      setReveal(row ? row.firstFrame : null);
    },
    [connection, rows],
  );

  const goStep = useCallback(
    (i: number) => {
      if (!steps.length) return;
      const at = Math.max(0, Math.min(steps.length - 1, i));
      setStep(at);
      setFrame(steps[at].frame);
    },
    [steps],
  );
  useStepKeys(steps.length > 0, (d) => goStep(step === null ? (d > 0 ? 0 : steps.length - 1) : step + d));

  // The slide named by the URL fragment: its step, once its connection's view is here.
  useEffect(() => {
    const slide = pendingSlide.current;
    // A connection the capture does not have: the slide is forgotten, the lesson connection shown.
    if (slide && rows.length && !rows.some((r) => r.id === slide.connection)) {
      pendingSlide.current = null;
      setConnection(lessonConnection(rows));
      setPresenting(false);
      return;
    }
    if (!slide || !viewFor || viewFor.row.id !== slide.connection) return;
    pendingSlide.current = null;
    if (slide.step !== null && steps.length) goStep(slide.step - 1);
  }, [viewFor, steps, goStep, rows]);
  // The fragment names the slide on screen, so a teacher can reopen it.
  useEffect(() => {
    if (!captureId || connection === null || pendingSlide.current) return;
    const hash = slideFragment({ capture: captureId, connection, step: step === null ? null : step + 1, present: presenting });
    if (location.hash !== hash) history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`);
  }, [captureId, connection, step, presenting]);
  // F5 opens presenter mode (instead of reloading the page) when a connection is shown.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'F5' || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      if (!viewFor || !steps.length) return;
      e.preventDefault();
      setPresenting(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [viewFor, steps]);

  const selectPacket = (f: number, conn: number) => {
    setFrame(f);
    if (conn < 0) {
      // A packet outside any TCP connection (DNS, ARP…): no connection's ladder stays on screen.
      setConnection(null);
      setStep(null);
      return;
    }
    if (conn !== connection || !viewFor) {
      pendingFrame.current = f;
      setConnection(conn);
      setStep(null);
      return;
    }
    const s = stepOfFrame(steps, viewFor.ladder, f);
    setStep(s >= 0 ? s : null);
  };

  const applyFilter = async (text: string): Promise<string | null> => {
    if (!captureId) return null;
    const res = await engine.setFilter(captureId, text);
    if (!res.ok) return res.error ?? 'invalid filter';
    setFilter(text);
    setDisplayed(text.trim() ? res.displayed : null);
    setViewVersion((v) => v + 1);
    return null;
  };

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
      setNotice(null);
      uploadCapture(engine, file, setDropUpload)
        .then(switchTo, (err: Error) => setNotice(err.message))
        .finally(() => setDropUpload(null));
    },
  };
  const dropHint = dragging && <div className="drop-hint" data-testid="drop-hint">Drop a .pcap, .pcapng or .gz capture to open it</div>;

  // Pane sizes, remembered: the top row's share of the height, the packet list's of the top row's
  // width, the bottom (packet details) share of the height.
  // A short window (a projector, a zoomed page) leaves more of its height to the lesson by default.
  const short = window.innerHeight / storedZoom() < 600;
  const [topF, setTopF] = useStoredFraction('wirelens.pane.top', short ? 0.25 : 0.3);
  const [bottomF, setBottomF] = useStoredFraction('wirelens.pane.bottom', short ? 0.15 : 0.24);
  const [leftF, setLeftF] = useStoredFraction('wirelens.pane.packets', 0.64);
  const panes = useRef<HTMLElement>(null);
  const height = () => (panes.current?.clientHeight ?? 600) - 2 * SPLITTER;
  const width = () => (panes.current?.clientWidth ?? 1000) - SPLITTER;

  if (error) return <p className="fatal" role="alert">{error}</p>;
  const header = (
    <header className="bar">
      <h1 className="app-name">Wirelens</h1>
      <OpenCapture engine={engine} onOpened={switchTo} />
      {dropUpload && <UploadBar progress={dropUpload} />}
      <CaptureControls engine={engine} status={status} onStarted={switchTo} openSignal={captureSignal} />
      {capture && <span className="capture-name">{capture.name}</span>}
      {capture && !capture.live && <TlsKeysControl engine={engine} captureId={capture.id} onReopened={switchTo} />}
      {capture && status && <StatusLine capture={capture} status={status} displayed={displayed} />}
      <DisplayControls />
      <LabPanel engine={engine} onFilter={(f) => void applyFilter(f)} />
      {capture && <Workbench engine={engine} capture={capture} ready={ready} total={status?.packets ?? 0} displayed={displayed} frame={frame} onFrame={(f, c) => { setReveal(f); selectPacket(f, c); }} onChanged={() => setViewVersion((v) => v + 1)} onOpened={switchTo} />}
      {capture && <Statistics engine={engine} capture={capture} ready={ready} connection={connection} onFrame={(f, c) => { setReveal(f); selectPacket(f, c); }} />}
      {notice && status?.state !== 'error' && <span className="warn" role="status">{notice}</span>}
    </header>
  );
  if (!capture || !status || status.id !== capture.id)
    return (
      <div className="app" {...dropProps}>
        {dropHint}
        {header}
        <p className="loading">{capture ? `Opening ${capture.name}…` : listed ? 'No capture open: choose one with “Open capture…”, drop a file here, or start a live capture.' : 'Connecting…'}</p>
      </div>
    );
  if (status.state === 'error')
    return (
      <div className="app" {...dropProps}>
        {dropHint}
        {header}
        <p className="load-error" role="alert" data-testid="status-error">{status.error}</p>
      </div>
    );

  // Grid rows: top panes, splitter, lesson, splitter, packet details, shared by the stored fractions.
  const mid = Math.max(0.2, 1 - topF - bottomF);
  const grid = { gridTemplateRows: `minmax(60px, ${topF}fr) ${SPLITTER}px minmax(160px, ${mid}fr) ${SPLITTER}px minmax(40px, ${bottomF}fr)`, gridTemplateColumns: `minmax(0, ${leftF}fr) ${SPLITTER}px minmax(0, ${1 - leftF}fr)` };
  const minLesson = () => 160 / Math.max(1, height());
  return (
    <div className="app" {...dropProps}>
      {dropHint}
      {header}
      <main className="panes" ref={panes} style={grid}>
        <section className="pane packets" aria-label="Packets">
          {ready && <FilterBar key={capture.id} text={filter} total={status.packets} displayed={displayed} onApply={applyFilter} />}
          <PacketList
            key={`view-${capture.id}-${viewVersion}`}
            sort={sort}
            onSort={(column) => {
              // Ascending, then descending, then back to capture order.
              const next = sort?.column !== column ? { column, descending: false } : !sort.descending ? { column, descending: true } : null;
              engine.setSort(capture.id, next?.column ?? null, next?.descending ?? false).then((r) => {
                if (!r.ok) return setNotice(r.error);
                setSort(next);
                setViewVersion((v) => v + 1);
              });
            }}
            engine={engine}
            captureId={capture.id}
            total={capturing ? status.displayed : (displayed ?? status.packets)}
            follow={capturing}
            selected={frame}
            reveal={reveal}
            onSelect={selectPacket}
            loading={status.state === 'loading'}
            refresh={status.state}
          />
        </section>
        <Splitter className="split-lists" orientation="vertical" fraction={leftF} onChange={setLeftF} total={width} minA={280} minB={220} label="Resize the packet list and the connection list" />
        <section className="pane connections" aria-label="Connections">
          {ready && <ConnectionList rows={rows} selected={connection} onSelect={chooseConnection} />}
        </section>
        <Splitter className="split-top" testid="split-top" orientation="horizontal" fraction={topF} onChange={(f) => setTopF(Math.min(f, 1 - bottomF - minLesson()))} total={height} minA={80} minB={160} label="Resize the lists and the lesson" />
        <section className="pane detail" aria-label="Connection">
          {connection !== null && ready ? (
            <ConnectionPane
              key={connection}
              engine={engine}
              captureId={capture.id}
              view={viewFor}
              connection={connection}
              version={version}
              steps={steps}
              step={step}
              onStep={goStep}
              onFrame={(f) => selectPacket(f, connection)}
              onConnection={chooseConnection}
              onlyThis={() => void applyFilter(`tcp.stream == ${connection}`)}
              onPresent={() => setPresenting(true)}
              filtered={filter.trim() === `tcp.stream == ${connection}`}
              captureDiagnostics={status.diagnostics}
              rows={rows}
              onReopened={capturing || capture.live ? undefined : (c) => { const keep = connection; switchTo(c); setConnection(keep); autoFor.current = c.id; }}
            />
          ) : (
            <p className="hint">
              {status.state === 'loading'
                ? 'Reading the capture…'
                : status.packets === 0
                  ? 'This capture holds no packets.'
                  : rows.length === 0
                    ? 'This capture has no TCP connection to draw: its packets are in the list above.'
                    : 'Choose a connection to see its handshake and its conversation as a ladder diagram.'}
            </p>
          )}
        </section>
        <Splitter className="split-bottom" testid="split-bottom" orientation="horizontal" fraction={1 - bottomF} onChange={(f) => setBottomF(Math.max(0.05, Math.min(1 - f, 1 - topF - minLesson())))} total={height} minA={80} minB={40} label="Resize the lesson and the packet details" />
        <section className="pane packet-detail" aria-label="Packet details" tabIndex={0}>
          {frame !== null ? (
            <PacketDetailPane engine={engine} captureId={capture.id} frame={frame} highlight={step !== null && steps[step]?.frame === frame ? steps[step] : null} />
          ) : (
            <p className="hint">Choose a packet or a step to see its layers and bytes.</p>
          )}
        </section>
      </main>
      {presenting && viewFor && <Presenter view={viewFor} steps={steps} step={step} onStep={goStep} onFrame={(f) => selectPacket(f, viewFor.row.id)} onClose={() => setPresenting(false)} />}
    </div>
  );
}

function StatusLine({ capture, status, displayed }: { capture: CaptureInfo; status: LoadStatus; displayed: number | null }) {
  const capturing = status.state === 'capturing';
  return (
    <>
      <span data-testid="status">
        {status.state === 'loading'
          ? `loading ${Math.round((100 * status.bytesRead) / Math.max(1, status.bytesTotal))}% · ${status.packets} packets`
          : capturing
            ? `live · ${status.packets} packets · ${status.connections} connections`
            : status.state === 'error'
              ? 'could not be opened'
              : `${status.packets} packets${displayed !== null ? ` (${displayed} displayed)` : ''} · ${status.connections} connections · ${status.format ?? capture.format} · ${capture.live ? `captured${capturedWith(status)}` : `opened in ${status.loadMs} ms`}`}
      </span>
      {status.capture && !status.capture.running && location.protocol.startsWith('http') && (
        <a className="download" data-testid="capture-download" href={`download/${encodeURIComponent(capture.id)}${location.search}`} download>Save capture (pcapng)</a>
      )}
      {status.capture?.ended && <span className="warn" data-testid="capture-ended">{status.capture.ended}</span>}
      {status.state === 'loading' && <progress className="load-progress" data-testid="load-progress" aria-label="loading the capture" max={Math.max(1, status.bytesTotal)} value={status.bytesRead} />}
      {status.truncated && <span className="warn">the file is cut short: the last record is incomplete</span>}
      {status.diagnostics
        .filter((d) => d.code === 'capture.packets_dropped')
        .map((d, i) => (
          <span key={i} className="warn" data-testid="capture-dropped">{d.message}</span>
        ))}
    </>
  );
}

/** The app's zoom as DisplayControls keeps it (read here before its first effect has applied it). */
function storedZoom(): number {
  try {
    const z = Number(JSON.parse(localStorage.getItem('wirelens.zoom') ?? '1'));
    return z > 0 && z <= 4 ? z : 1;
  } catch {
    return 1;
  }
}

/** " with dumpcap, 0 dropped by the kernel" once a live capture stopped (dumpcap reports drops; cap cannot). */
function capturedWith(status: LoadStatus): string {
  const c = status.capture;
  if (!c) return '';
  if (c.backend === 'cap') return ' with libpcap';
  return ` with dumpcap${c.kernelDropped !== null ? `, ${c.kernelDropped} dropped by the kernel` : ''}`;
}
