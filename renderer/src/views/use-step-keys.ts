/**
 * Step-through keys for the whole window: → / n / Space for the next step, ← / p for the previous
 * one — unless the key goes to something that uses it itself (a text box, a list, a button, a splitter).
 */
import { useEffect, useRef } from 'react';

const NEXT = new Set(['ArrowRight', 'n', 'N', ' ']);
const PREV = new Set(['ArrowLeft', 'p', 'P']);

/** True when `el` takes the key itself (typing, choosing in a select, pressing a button with Space). */
export function keyBelongsTo(el: Element | null, key: string): boolean {
  if (!el) return false;
  const tag = el.tagName;
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (el as HTMLElement).isContentEditable)
    return true;
  if (
    key === ' ' &&
    (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY' || el.getAttribute('role') === 'tab')
  )
    return true;
  if (el.getAttribute('role') === 'separator') return true;
  return false;
}

export function useStepKeys(enabled: boolean, onStep: (delta: number) => void): void {
  const cb = useRef(onStep);
  cb.current = onStep;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      const d = NEXT.has(e.key) ? 1 : PREV.has(e.key) ? -1 : 0;
      if (!d || keyBelongsTo(e.target as Element | null, e.key)) return;
      e.preventDefault();
      cb.current(d);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
