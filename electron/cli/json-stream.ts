/**
 * The CLI's output written with backpressure: text is gathered into chunks of about 64 KiB and a
 * chunk is handed to the stream only once the stream has room ('drain'), so output piped to a slow
 * reader is never queued whole in memory. `writeJsonReport` writes a report exactly as
 * `JSON.stringify(report, jsonReplacer, 2) + '\n'` would, byte for byte, one top-level field and
 * one array element (one connection) at a time: a big capture's report is never one string.
 * To a terminal (a TTY), the characters a terminal may act on that JSON.stringify leaves raw (C1
 * controls, bidi marks) are written as \uNNNN escapes: the same JSON values, nothing acted on.
 */
import { jsonForTerminal } from './format';

const CHUNK_CHARS = 64 * 1024;

/** Typed arrays (kept payloads) never go to JSON; they are summarised by size. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return undefined;
  return value;
}

export class OutputClosedError extends Error {
  constructor() {
    super('the output was closed before everything was written');
    this.name = 'OutputClosedError';
  }
}

/** Resolves when `out` has room again; rejects when it closes or fails first. */
function drained(out: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      out.off('error', onError);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onClose = () => {
      cleanup();
      reject(new OutputClosedError());
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    out.on('drain', onDrain);
    out.on('close', onClose);
    out.on('error', onError);
  });
}

/**
 * Text to a stream in chunks, waiting for 'drain'. `write` returns a promise only when the caller
 * must wait (the chunk went out and the stream is full): `const w = o.write(s); if (w) await w;`.
 * Call `end()` to write what is left.
 */
export class StreamWriter {
  private parts: string[] = [];
  private chars = 0;

  constructor(
    private readonly out: NodeJS.WritableStream,
    /** Applied to every chunk before it is written (e.g. escaping for a terminal). */
    private readonly transform?: (text: string) => string,
  ) {}

  write(text: string): Promise<void> | undefined {
    this.parts.push(text);
    this.chars += text.length;
    return this.chars >= CHUNK_CHARS ? this.flush() : undefined;
  }

  /** Hands what is gathered to the stream; resolves when the stream can take more. */
  flush(): Promise<void> | undefined {
    if (this.chars === 0) return undefined;
    const joined = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    const text = this.transform ? this.transform(joined) : joined;
    this.parts = [];
    this.chars = 0;
    if ((this.out as NodeJS.WritableStream & { destroyed?: boolean }).destroyed)
      return Promise.reject(new OutputClosedError());
    return this.out.write(text) ? undefined : drained(this.out);
  }

  async end(): Promise<void> {
    await this.flush();
  }
}

/** A value's JSON as JSON.stringify(value, jsonReplacer, 2) nested `indent` spaces deep (JSON strings never hold a raw newline). */
function nested(value: unknown, indent: number): string {
  const text = JSON.stringify(value, jsonReplacer, 2) ?? 'null';
  return text.replace(/\n/g, '\n' + ' '.repeat(indent));
}

/** Whether JSON.stringify keeps an object's field with this value. */
function kept(value: unknown): boolean {
  return jsonReplacer('', value) !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

/** Whether the stream is a terminal (JSON written to it is escaped for one). */
export function isTerminal(out: NodeJS.WritableStream): boolean {
  return (out as NodeJS.WriteStream).isTTY === true;
}

/** A writer for JSON to `out`: escaped for a terminal when `out` is one, JSON.stringify's bytes otherwise. */
export function jsonWriter(out: NodeJS.WritableStream): StreamWriter {
  return new StreamWriter(out, isTerminal(out) ? jsonForTerminal : undefined);
}

/** `report` as `JSON.stringify(report, jsonReplacer, 2) + '\n'`, streamed with backpressure. */
export async function writeJsonReport(report: object, out: NodeJS.WritableStream): Promise<void> {
  const w = jsonWriter(out);
  const entries = Object.entries(report).filter(([, v]) => kept(v));
  if (entries.length === 0) {
    await w.write('{}\n');
    return w.end();
  }
  let wait = w.write('{');
  if (wait) await wait;
  for (let k = 0; k < entries.length; k++) {
    const [key, value] = entries[k];
    wait = w.write(`${k ? ',' : ''}\n  ${JSON.stringify(key)}: `);
    if (wait) await wait;
    if (Array.isArray(value) && value.length > 0) {
      wait = w.write('[');
      if (wait) await wait;
      for (let i = 0; i < value.length; i++) {
        wait = w.write(`${i ? ',' : ''}\n    ${nested(value[i], 4)}`);
        if (wait) await wait;
      }
      wait = w.write('\n  ]');
    } else wait = w.write(nested(value, 2));
    if (wait) await wait;
  }
  await w.write('\n}\n');
  await w.end();
}
