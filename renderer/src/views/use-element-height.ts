/**
 * The height of an element, kept current as it resizes (for the virtualised lists), and whether it
 * has been measured yet: it is read before the first paint, so a list can wait for it instead of
 * fetching rows for the initial guess and again for the real height.
 */
import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

export function useElementHeight<T extends HTMLElement>(initial: number): [RefObject<T | null>, number, boolean] {
  const ref = useRef<T>(null);
  const [height, setHeight] = useState(initial);
  const [measured, setMeasured] = useState(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setHeight(el.clientHeight);
    setMeasured(true);
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, height, measured];
}
