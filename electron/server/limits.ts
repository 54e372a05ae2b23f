/**
 * The limits of browser mode's server (`wirelens serve`), in one place; README's Security section
 * lists them. Tests may lower them through ServeOptions.limits.
 */
import { WS_MAX_MESSAGE_BYTES } from '../../api/engine-api';

export interface ServerLimits {
  /** Largest WebSocket message a page may send (an upload travels as one base64 message). */
  maxMessageBytes: number;
  /** Largest capture a page may upload (decoded bytes). */
  maxUploadBytes: number;
  /** Answers and events written to one client but not yet taken by its connection: above this, the server stops reading that client's requests (and drops its status events) until it catches up. */
  pendingHighBytes: number;
  /** A client whose unsent answers exceed this, or that stays above pendingHighBytes for stallMs, is disconnected. */
  pendingMaxBytes: number;
  stallMs: number;
  /** Calls of one client the engine works on at once; the others wait in that client's queue (the other clients go first). */
  callsInFlightPerClient: number;
  /** Calls waiting in one client's queue (or maxMessageBytes of them) before the server stops reading from it; a client past 64 times this is disconnected. */
  queuedCallsPerClient: number;
  /** Pages connected at once. */
  maxClients: number;
  /** Captures one browser may open on the server (uploads, Decode As, paths, live captures), for the server's whole run. */
  capturesPerBrowser: number;
}

export const SERVER_LIMITS: ServerLimits = {
  maxMessageBytes: WS_MAX_MESSAGE_BYTES,
  maxUploadBytes: 128 * 1024 * 1024,
  pendingHighBytes: 32 * 1024 * 1024,
  pendingMaxBytes: 512 * 1024 * 1024,
  stallMs: 120_000,
  callsInFlightPerClient: 4,
  queuedCallsPerClient: 64,
  maxClients: 64,
  capturesPerBrowser: 32,
};

/** Shortest token `--token` accepts: 32 characters (128 bits when they are hexadecimal digits). */
export const MIN_TOKEN_LENGTH = 32;
