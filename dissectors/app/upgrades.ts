/**
 * What a student is told when an upgrade to TLS (SMTP STARTTLS, POP3 STLS, FTP AUTH TLS) does not
 * happen as planned: the server refused it, or the bytes after an accepted upgrade are not TLS.
 */
import type { Direction, StreamChunk } from '../tcp/types';
import type { HandlerHost, ProtocolHandler } from './handler';
import type { AppOutput } from './output';
import { createTlsHandler, type TlsUpgrade } from './tls/tls-handler';

/** The line put on a refused STARTTLS/STLS/AUTH TLS reply. */
export function refusedUpgradeNote(command: string, protocol: string, reply: string): string {
  return `The server refused ${command} (${reply}): no TLS starts, the connection goes on unencrypted. Everything sent after this, passwords included, crosses the network as readable text, and Wirelens goes on reading it as ${protocol}.`;
}

/** The note on the first clear-text line after an accepted upgrade, when both sides went on without TLS. */
export function clearAfterUpgradeNote(command: string, protocol: string): string {
  return `After ${command} was accepted the next bytes should be a TLS handshake, but both sides go on in readable ${protocol}. This is what a capture of an already-decrypted session looks like (taken behind a TLS proxy, or exported decrypted from another tool); a real session on the wire is encrypted from here. Wirelens reads the rest as ${protocol}.`;
}

/** Whether the direction's first buffered bytes could begin a TLS record (handshake 0x16, alert 0x15, version 3.x). */
export function startsLikeTls(bytes: Uint8Array): boolean {
  return bytes.length > 0 && (bytes[0] === 0x16 || bytes[0] === 0x15) && (bytes.length < 2 || bytes[1] === 3);
}

export interface UpgradeWait {
  upgrade: TlsUpgrade;
  /** The command as the student knows it (`STLS`, `AUTH TLS`). */
  command: string;
  /** The clear-text protocol's name (`POP3`, `FTP`). */
  protocol: string;
  /** Whether the server's first bytes are a reply of the clear-text protocol (`+OK`, `230 `). */
  replyLike(server: Uint8Array): boolean;
  /** The clear-text handler, ready to read on (called once, when both sides went on without TLS). */
  resume(): ProtocolHandler;
}

/**
 * After an accepted upgrade: waits for the first bytes, then hands over to TLS (a TLS record, or
 * anything that is not a clear reply — the TLS handler reports bytes that are not TLS) or, when the
 * server answers in the clear-text protocol to something that is not TLS (a capture of an
 * already-decrypted session), back to the clear-text handler with a note on its first event.
 */
export function awaitTlsOrClear(host: HandlerHost, w: UpgradeWait): ProtocolHandler {
  const { bufs, out } = host;
  const tls = () => host.switchTo(createTlsHandler(host, w.upgrade));
  return {
    pump(_dir, final) {
      const client = bufs.client.peek();
      const server = bufs.server.peek();
      if (startsLikeTls(client) || (server.length > 0 && startsLikeTls(server))) return tls();
      if (server.length >= 4 && w.replyLike(server))
        return host.switchTo(notingFirstEvent(out, w.resume(), clearAfterUpgradeNote(w.command, w.protocol)));
      if (server.length >= 4 || (final && (client.length > 0 || server.length > 0))) return tls();
    },
    gap() {
      tls();
    },
    end() {},
  };
}

/** `inner`, with `note` added to the first ladder event it writes (and as a diagnostic). */
function notingFirstEvent(out: AppOutput, inner: ProtocolHandler, note: string): ProtocolHandler {
  const start = out.ladder.length;
  let done = false;
  const mark = (): void => {
    const e = out.ladder[start];
    if (done || !e) return;
    done = true;
    e.lines = [...(e.lines ?? []), `! ${note}`];
    out.diag('tls.upgrade.not_tls', 'note', note, e.frame);
  };
  return {
    pump(dir, final) {
      inner.pump(dir, final);
      mark();
    },
    gap: (g) => inner.gap(g),
    end() {
      inner.end();
      mark();
    },
    ...(inner.bulk ? { bulk: (dir: Direction, chunk: StreamChunk) => inner.bulk!(dir, chunk) } : {}),
  };
}
