/** A small drop-down menu (a disclosure) that closes on a click elsewhere and on Escape. */
import { useEffect, useRef, type ReactNode } from 'react';

export function Menu(props: { label: string; testid?: string; children: ReactNode }) {
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const close = (e: Event) => {
      const el = ref.current;
      if (el?.open && !el.contains(e.target as Node)) el.open = false;
    };
    const esc = (e: KeyboardEvent) => {
      const el = ref.current;
      if (e.key === 'Escape' && el?.open) {
        el.open = false;
        el.querySelector('summary')?.focus();
      }
    };
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', esc);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('keydown', esc);
    };
  }, []);
  return (
    <details className="menu" ref={ref}>
      <summary data-testid={props.testid}>{props.label}</summary>
      <div className="menu-body">{props.children}</div>
    </details>
  );
}
