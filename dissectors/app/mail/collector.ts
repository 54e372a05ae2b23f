/**
 * Collects one message's bytes as they arrive (SMTP DATA lines after dot-unstuffing, BDAT chunks,
 * POP3 RETR lines): counts and hashes all of them, keeps at most MAX_KEPT_MESSAGE_BYTES.
 */
import type { AppContext } from '../types';
import { buildMessage, MAX_KEPT_MESSAGE_BYTES, type MailEnvelope, type MailMessage } from './message';

const CRLF = Uint8Array.of(13, 10);
const MAX_FRAMES = 100000;
const STAGE = 64 * 1024;

export class MessageCollector {
  private parts: Uint8Array[] = [];
  private readonly stage = new Uint8Array(STAGE);
  private stageLen = 0;
  private kept = 0;
  private size = 0;
  private truncated = false;
  private readonly hash;
  lastFrame: number;
  /** Frames the message's bytes came from (at most MAX_FRAMES listed). */
  readonly frames: number[] = [];

  constructor(
    ctx: AppContext,
    readonly firstFrame: number,
    private readonly maxKept = MAX_KEPT_MESSAGE_BYTES,
  ) {
    this.hash = ctx.createSha256();
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
    // Lines are small: gather them in a stage buffer and hash/keep whole stages.
    let at = 0;
    while (at < bytes.length) {
      const n = Math.min(bytes.length - at, STAGE - this.stageLen);
      this.stage.set(bytes.subarray(at, at + n), this.stageLen);
      this.stageLen += n;
      at += n;
      if (this.stageLen === STAGE) this.flush();
    }
  }

  private flush(): void {
    if (!this.stageLen) return;
    const chunk = this.stage.subarray(0, this.stageLen);
    this.hash.update(chunk);
    if (this.kept + chunk.length <= this.maxKept) {
      this.parts.push(chunk.slice());
      this.kept += chunk.length;
    } else this.truncated = true;
    this.stageLen = 0;
  }

  finish(envelope: MailEnvelope | null, endFrame: number): MailMessage {
    this.flush();
    const raw = new Uint8Array(this.kept);
    let o = 0;
    for (const p of this.parts) {
      raw.set(p, o);
      o += p.length;
    }
    this.parts = [];
    return buildMessage(raw, this.size, this.hash.digest(), envelope, this.firstFrame, endFrame, this.truncated);
  }
}
