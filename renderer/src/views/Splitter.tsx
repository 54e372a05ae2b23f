/**
 * A draggable splitter between two panes (mouse or keyboard: arrows move it, Home/End to the ends),
 * and the hook that keeps a pane's share in local storage so the layout is remembered.
 */
import { useCallback, useState } from 'react';
import { clampSplit, dragSplit, parseStoredFraction } from '../layout/pane-sizes';

export function useStoredFraction(key: string, fallback: number): [number, (f: number) => void] {
  const [f, setF] = useState(() => {
    try {
      return parseStoredFraction(localStorage.getItem(key), fallback);
    } catch {
      return fallback;
    }
  });
  const set = useCallback(
    (v: number) => {
      setF(v);
      try {
        localStorage.setItem(key, String(v));
      } catch {
        /* storage full or denied: the size lasts for this page only */
      }
    },
    [key],
  );
  return [f, set];
}

export function Splitter(props: {
  /** 'vertical': a vertical bar between side-by-side panes (drags left/right). */
  orientation: 'vertical' | 'horizontal';
  fraction: number;
  onChange: (f: number) => void;
  /** The size (px) of the space the two panes share, and their minimum sizes. */
  total: () => number;
  minA: number;
  minB: number;
  label: string;
  testid?: string;
  className?: string;
}) {
  const vertical = props.orientation === 'vertical';
  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    const el = e.currentTarget;
    el.setPointerCapture(e.pointerId);
    const start = vertical ? e.clientX : e.clientY;
    const f0 = props.fraction;
    // CSS zoom: pointer coordinates are in screen pixels, the panes' sizes in zoomed CSS pixels.
    const zoom = Number(getComputedStyle(document.documentElement).zoom) || 1;
    const move = (ev: PointerEvent) =>
      props.onChange(
        dragSplit(
          f0,
          ((vertical ? ev.clientX : ev.clientY) - start) / zoom,
          props.total(),
          props.minA,
          props.minB,
        ),
      );
    const up = () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
  };
  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    const total = props.total();
    const step = 24 / Math.max(1, total);
    const keys: Record<string, number> = vertical
      ? { ArrowLeft: -step, ArrowRight: step }
      : { ArrowUp: -step, ArrowDown: step };
    if (e.key in keys)
      props.onChange(clampSplit(props.fraction + keys[e.key], total, props.minA, props.minB));
    else if (e.key === 'Home') props.onChange(clampSplit(0, total, props.minA, props.minB));
    else if (e.key === 'End') props.onChange(clampSplit(1, total, props.minA, props.minB));
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  return (
    <div
      className={`splitter splitter-${props.orientation}${props.className ? ` ${props.className}` : ''}`}
      role="separator"
      tabIndex={0}
      aria-orientation={props.orientation}
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(props.fraction * 100)}
      data-testid={props.testid}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
    />
  );
}
