/** The width a chart may take: its container's, followed as the window is resized. */
import { useCallback, useState } from 'react';

export function useChartWidth(min = 480): [(el: HTMLElement | null) => void, number] {
  const [width, setWidth] = useState(900);
  const ref = useCallback(
    (el: HTMLElement | null) => {
      if (!el) return;
      const measure = () => setWidth(Math.max(min, Math.floor(el.clientWidth) - 4));
      measure();
      new ResizeObserver(measure).observe(el);
    },
    [min],
  );
  return [ref, width];
}
