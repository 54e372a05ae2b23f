/**
 * Ctrl+C, `kill` and a closed terminal for the `wirelens` command. A process ended by a signal's
 * default action never runs its 'exit' handlers, so its run directory of temporary files
 * (decompressed captures, uploads: shared/private-temp.ts) would stay behind until the next start.
 * These handlers end the process with `process.exit` instead (exit code 128 + the signal's number,
 * as a shell reports it), which runs them. A command that stops gracefully on a signal (serve,
 * capture: they close the server or the capture file first) listens too: then the first signal is
 * left to it, and a second one ends the process at once.
 */
const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

type SignalName = keyof typeof SIGNALS;

/** Installs the handlers; returns the function that removes them (when the command has finished). */
export function exitOnSignals(proc: NodeJS.Process = process): () => void {
  const installed: Array<[SignalName, () => void]> = [];
  for (const sig of Object.keys(SIGNALS) as SignalName[]) {
    let asked = false;
    const handler = () => {
      if (!asked && proc.listenerCount(sig) > 1) {
        asked = true; // the command's own handler stops it
        return;
      }
      proc.exit(128 + SIGNALS[sig]);
    };
    proc.on(sig, handler);
    installed.push([sig, handler]);
  }
  return () => {
    for (const [sig, handler] of installed) proc.off(sig, handler);
  };
}
