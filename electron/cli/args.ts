/** Tiny argv parser for the wirelens CLI: positionals, --flag, --key value, --key=value, repeatable keys. */
export interface ParsedArgs {
  positionals: string[];
  flags: Set<string>;
  values: Map<string, string[]>;
}

export function parseArgs(argv: string[], valueKeys: ReadonlySet<string>): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Set<string>();
  const values = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a.length > 1) {
      const eq = a.indexOf('=');
      const key = (eq > 0 ? a.slice(0, eq) : a).replace(/^--?/, '');
      if (valueKeys.has(key)) {
        const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined) throw new UsageError(`option --${key} needs a value`);
        values.set(key, [...(values.get(key) ?? []), v]);
      } else if (eq > 0) {
        throw new UsageError(`option --${key} takes no value`);
      } else flags.add(key);
    } else positionals.push(a);
  }
  return { positionals, flags, values };
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function single(args: ParsedArgs, key: string): string | undefined {
  const v = args.values.get(key);
  return v ? v[v.length - 1] : undefined;
}
