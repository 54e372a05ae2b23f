/** A row of tabs (role="tablist"): one button per tab, the chosen one aria-selected; `testIdPrefix` + key names each for tests. */
export interface TabSpec<K extends string> {
  key: K;
  name: string;
}

export function TabList<K extends string>(props: {
  tabs: Array<TabSpec<K>>;
  selected: K;
  onSelect: (key: K) => void;
  label?: string;
  className?: string;
  testIdPrefix: string;
}) {
  return (
    <div className={props.className} role="tablist" aria-label={props.label}>
      {props.tabs.map((t) => (
        <button
          key={t.key}
          type="button"
          role="tab"
          aria-selected={props.selected === t.key}
          data-testid={`${props.testIdPrefix}${t.key}`}
          onClick={() => props.onSelect(t.key)}
        >
          {t.name}
        </button>
      ))}
    </div>
  );
}
