/**
 * Each browser page's own packet view of each capture (display filter and sort; the selection
 * lives in the page). The engine keeps one view per capture in its CaptureSession; a page's view
 * is swapped into the session around a synchronous engine step and taken back out right after,
 * so one student's filter never changes what another sees.
 */
import type { CaptureSession } from '../engine/capture-session';
import type { Engine } from '../engine/engine';

type ViewFields = Pick<CaptureSession, 'view' | 'filterText' | 'viewFilter' | 'viewUpTo' | 'sort'>;

function emptyView(): ViewFields {
  return { view: null, filterText: '', viewFilter: null, viewUpTo: 0, sort: null };
}

function take(s: CaptureSession): ViewFields {
  return {
    view: s.view,
    filterText: s.filterText,
    viewFilter: s.viewFilter,
    viewUpTo: s.viewUpTo,
    sort: s.sort,
  };
}

function put(s: CaptureSession, v: ViewFields): void {
  s.view = v.view;
  s.filterText = v.filterText;
  s.viewFilter = v.viewFilter;
  s.viewUpTo = v.viewUpTo;
  s.sort = v.sort;
}

export class ClientViews {
  private readonly views = new Map<string, ViewFields>();

  constructor(private readonly engine: Engine) {}

  /**
   * Runs `step` (which must not await: nothing else may run while the view is swapped in) with this
   * page's view of capture `engineId` in place; packets a live capture added since are filtered first.
   */
  with<T>(engineId: string, step: (s: CaptureSession) => T): T {
    const s = this.engine.session(engineId);
    const own = this.views.get(engineId) ?? emptyView();
    const engines = take(s);
    put(s, own);
    try {
      this.engine.extendFilterView(s);
      return step(s);
    } finally {
      this.views.set(engineId, take(s));
      put(s, engines);
    }
  }
}
