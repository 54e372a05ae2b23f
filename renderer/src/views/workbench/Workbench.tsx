/**
 * The packet workbench's tools in one drawer, opened from the header: Expert Information, Export
 * Objects, Export packets (all / displayed / marked / a range, pcapng or pcap), comments and marks,
 * and Merge. Ctrl+M marks or unmarks the selected packet anywhere in the window; Ctrl+T makes it a
 * time reference (the packets after it are timed from it) or stops.
 */
import { useEffect, useRef, useState } from 'react';
import type { CaptureInfo, EngineApi } from '../../../../api/engine-api';
import { ExpertInfo } from './ExpertInfo';
import { ExportObjects } from './ExportObjects';
import { ExportPackets } from './ExportPackets';
import { MergeCaptures } from './MergeCaptures';
import { PacketNotes } from './PacketNotes';
import './workbench.css';
import { TabList } from '../TabList';

type Tab = 'expert' | 'objects' | 'packets' | 'notes' | 'merge';
const TABS: Array<{ key: Tab; name: string }> = [
  { key: 'expert', name: 'Expert Information' },
  { key: 'objects', name: 'Export Objects' },
  { key: 'packets', name: 'Export packets' },
  { key: 'notes', name: 'Comments & marks' },
  { key: 'merge', name: 'Merge' },
];

export function Workbench(props: {
  engine: EngineApi;
  capture: CaptureInfo;
  ready: boolean;
  total: number;
  displayed: number | null;
  frame: number | null;
  onFrame: (frame: number, connection: number) => void;
  /** Rows changed (a comment or a mark): the packet list fetches them again. */
  onChanged: () => void;
  /** A new capture to show (a merge). */
  onOpened: (c: CaptureInfo) => void;
}) {
  const { engine, capture } = props;
  const [open, setOpen] = useState(false);
  /** The drawer starts below the header, however many rows the header's buttons wrap to. */
  const [top, setTop] = useState<number | undefined>(undefined);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const place = () => setTop(button.current?.closest('header')?.getBoundingClientRect().bottom);
    place();
    window.addEventListener('resize', place);
    return () => window.removeEventListener('resize', place);
  }, [open]);
  const [tab, setTab] = useState<Tab>('expert');
  const [marked, setMarked] = useState<number[]>([]);
  useEffect(() => setMarked([]), [capture.id]);

  // Ctrl+M (⌘M): mark or unmark the selected packet; Ctrl+T: make it a time reference or stop, as in Wireshark.
  const { frame, onChanged } = props;
  const [timeRefs, setTimeRefs] = useState<number[]>([]);
  useEffect(() => setTimeRefs([]), [capture.id]);
  const toggleTimeRef = (f: number) =>
    void engine.setTimeReference?.(capture.id, f, !timeRefs.includes(f)).then((refs) => {
      setTimeRefs(refs);
      onChanged();
    });
  useEffect(() => {
    if (!engine.setMarked || frame === null) return;
    const onKey = (e: KeyboardEvent) => {
      const key = e.key.toLowerCase();
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey || (key !== 'm' && key !== 't')) return;
      const t = e.target as HTMLElement | null;
      if (
        t &&
        (t.tagName === 'TEXTAREA' || (t.tagName === 'INPUT' && (t as HTMLInputElement).type === 'text'))
      )
        return;
      e.preventDefault();
      if (key === 'm')
        void engine.setMarked!(capture.id, [frame], !marked.includes(frame)).then((m) => {
          setMarked(m);
          onChanged();
        });
      else toggleTimeRef(frame);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [engine, capture.id, frame, marked, timeRefs, onChanged]);

  if (!props.ready || capture.live || !engine.getExpertInfo) return null;
  const goTo = (f: number, c: number) => props.onFrame(f, c);
  /** A packet whose connection is not known here: asked of the engine first. */
  const goToFrame = (f: number) =>
    void engine.getPacketDetail(capture.id, f).then(
      (d) => props.onFrame(f, d.connection),
      () => undefined,
    );
  return (
    <>
      <button
        type="button"
        ref={button}
        className="wb-button"
        aria-expanded={open}
        aria-controls="wb-drawer"
        data-testid="workbench-button"
        onClick={() => setOpen(!open)}
      >
        Workbench{marked.length ? ` · ${marked.length} marked` : ''}
        {timeRefs.length > 2
          ? ` · ${timeRefs.length} time references`
          : timeRefs.length
            ? ` · time from ${timeRefs.join(', ')}`
            : ''}
      </button>
      {open && (
        <aside
          id="wb-drawer"
          className="wb-drawer"
          aria-label="Workbench"
          data-testid="workbench"
          style={top !== undefined ? { top } : undefined}
        >
          <div className="wb-head">
            <TabList
              className="wb-tabs"
              label="Workbench tools"
              tabs={TABS}
              selected={tab}
              onSelect={setTab}
              testIdPrefix="wb-tab-"
            />
            <button type="button" onClick={() => setOpen(false)} aria-label="Close the workbench">
              ×
            </button>
          </div>
          <div role="tabpanel" className="wb-panel" aria-label={TABS.find((t) => t.key === tab)?.name}>
            {tab === 'expert' && <ExpertInfo engine={engine} captureId={capture.id} onFrame={goTo} />}
            {tab === 'objects' && (
              <ExportObjects
                engine={engine}
                captureId={capture.id}
                captureName={capture.name}
                onFrame={goTo}
              />
            )}
            {tab === 'packets' && (
              <ExportPackets
                engine={engine}
                captureId={capture.id}
                total={props.total}
                displayed={props.displayed}
                marked={marked.length}
              />
            )}
            {tab === 'merge' && <MergeCaptures engine={engine} current={capture} onOpened={props.onOpened} />}
            {tab === 'notes' && (
              <PacketNotes
                engine={engine}
                captureId={capture.id}
                frame={props.frame}
                marked={marked}
                onMarked={setMarked}
                timeRefs={timeRefs}
                onTimeRef={toggleTimeRef}
                onFrame={goToFrame}
                onChanged={props.onChanged}
              />
            )}
          </div>
        </aside>
      )}
    </>
  );
}
