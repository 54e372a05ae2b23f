/**
 * The message channel between the Electron main process and the engine's process: Electron's
 * utilityProcess (`postMessage` / `process.parentPort`) in the app, a Node child process
 * (`send` / `process.on('message')`) in tests. Plain JSON-like messages only.
 */
export interface HostPort {
  post(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
}
