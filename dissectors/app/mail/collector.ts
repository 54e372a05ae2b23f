/**
 * Collects one message's bytes as they arrive (SMTP DATA lines after dot-unstuffing, BDAT chunks,
 * POP3 RETR lines): counts and hashes all of them, keeps at most MAX_KEPT_MESSAGE_BYTES.
 */
import type { AppContext, LaterHash } from '../types';
import { buildMessage, MAX_KEPT_MESSAGE_BYTES, type MailEnvelope, type MailMessage } from './message';

const CRLF = Uint8Array.of(13, 10);
const MAX_FRAMES = 100000;
/** Size of the buffers small writes are gathered in (a full one is kept as a part of the message as it is). */
export const MESSAGE_STAGE_BYTES = 64 * 1024;
const STAGE = MESSAGE_STAGE_BYTES;
/** Writes at least this big skip the stage. */
const BULK = 8 * 1024;

export class MessageCollector {
  private parts: Uint8Array[] = [];
  /** Small writes (single lines) are gathered here and hashed/kept a stage at a time; made on first use. */
  private stage: Uint8Array | null = null;
  private stageLen = 0;
  private kept = 0;
  private size = 0;
  private truncated = false;
  private readonly hash: LaterHash;
  lastFrame: number;
  /** Frames the message's bytes came from (at most MAX_FRAMES listed). */
  readonly frames: number[] = [];

  constructor(
    private readonly ctx: AppContext,
    readonly firstFrame: number,
    private readonly maxKept = MAX_KEPT_MESSAGE_BYTES,
  ) {
    this.hash = ctx.laterSha256();
    this.lastFrame = firstFrame;
  }

  get bytes(): number {
    return this.size;
  }

  /** One content line (already unstuffed), without its terminator: stored with CRLF. */
  line(bytes: Uint8Array, frames: number[]): void {
    this.add(bytes, frames);
    this.add(CRLF, []);
  }

  add(bytes: Uint8Array, frames: number[]): void {
    for (const f of frames) {
      if (f > this.lastFrame || this.frames.length === 0) {
        this.lastFrame = f;
        if (this.frames.length < MAX_FRAMES && this.frames[this.frames.length - 1] !== f) this.frames.push(f);
      }
    }
    this.size += bytes.length;
    if (bytes.length >= BULK) {
      // A run of lines: straight to the hash and the kept parts, no staging copy.
      this.flush();
      this.store(bytes, false);
      return;
    }
    // Lines are small: gather them in a stage buffer and hash/keep whole stages.
    let at = 0;
    while (at < bytes.length) {
      // (A full stage is handed over as a part: the next bytes go to a new one.)
      // A stage handed back by the host once it was done with an earlier message's, else a new one.
      const stage = (this.stage ??= this.ctx.messageStage?.() ?? new Uint8Array(STAGE));
      const n = Math.min(bytes.length - at, STAGE - this.stageLen);
      stage.set(bytes.subarray(at, at + n), this.stageLen);
      this.stageLen += n;
      at += n;
      if (this.stageLen === STAGE) this.flush();
    }
  }

  /**
   * Hashes and keeps what the stage holds. A full stage — or, at the end of the message, the last
   * one — becomes one of the kept parts as it is (later lines get a new stage), unless nothing
   * more is kept: then it is only hashed, and used again. A partial stage before the end is copied.
   */
  private flush(last = false): void {
    if (!this.stageLen || !this.stage) return;
    if (this.stageLen === STAGE || last) {
      if (this.store(this.stageLen === STAGE ? this.stage : this.stage.subarray(0, this.stageLen), true)) this.stage = null;
    } else this.store(this.stage.subarray(0, this.stageLen), false);
    this.stageLen = 0;
  }

  /**
   * Hashes bytes and keeps what fits under maxKept (the message's first bytes): `owned` bytes as they
   * are, others copied. True when `bytes` themselves were kept.
   */
  private store(bytes: Uint8Array, owned: boolean): boolean {
    this.hash.update(bytes);
    const room = this.maxKept - this.kept;
    if (room <= 0) {
      this.truncated = true;
      return false;
    }
    const part = bytes.length > room ? bytes.slice(0, room) : owned ? bytes : bytes.slice();
    if (part.length < bytes.length) this.truncated = true;
    // (So every part is the message's own: a copy, or a stage — whole, or from its start at the end.)
    this.parts.push(part);
    this.kept += part.length;
    return part === bytes;
  }

  finish(envelope: MailEnvelope | null, endFrame: number): MailMessage {
    this.flush(true);
    // The parts are handed over as they are: joined where the MIME parser runs.
    const m = buildMessage(this.parts, this.size, '', envelope, this.firstFrame, endFrame, this.truncated);
    this.parts = [];
    this.hash.digest((sha) => (m.sha256 = sha));
    return m;
  }
}
