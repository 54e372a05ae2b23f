/**
 * What a student is told when an upgrade to TLS (SMTP STARTTLS, POP3 STLS, FTP AUTH TLS) does not
 * happen as planned: the server refused it, or the bytes after an accepted upgrade are not TLS.
 */

/** The line put on a refused STARTTLS/STLS/AUTH TLS reply. */
export function refusedUpgradeNote(command: string, protocol: string, reply: string): string {
  return `The server refused ${command} (${reply}): no TLS starts, the connection goes on unencrypted. Everything sent after this, passwords included, crosses the network as readable text, and Wirelens goes on reading it as ${protocol}.`;
}

/** The note on the first clear-text line after an accepted upgrade, when both sides went on without TLS. */
export function clearAfterUpgradeNote(command: string, protocol: string): string {
  return `After ${command} was accepted the next bytes should be a TLS handshake, but both sides go on in readable ${protocol}. This is what a capture of an already-decrypted session looks like (taken behind a TLS proxy, or exported decrypted from another tool); a real session on the wire is encrypted from here. Wirelens reads the rest as ${protocol}.`;
}
