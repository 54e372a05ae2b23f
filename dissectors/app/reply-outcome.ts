/**
 * The outcome class of a server's reply, so views can colour it and learners see at once whether the
 * server said yes, wait for more, try again later, or no. One function for every protocol:
 *  - three-digit codes (SMTP, RFC 5321 §4.2.1; FTP, RFC 959 §4.2; HTTP statuses) by their first digit:
 *    2 positive, 3 intermediate (the server waits for more input), 4 transient-negative (try again
 *    later), 5 permanent-negative. FTP's 1yz ("positive preliminary": the action starts, another reply
 *    will follow) is good news, not a request for more input: positive. HTTP 4xx are client errors, not transient: see `httpStatusOutcome`.
 *  - POP3 (RFC 1939): `+OK` positive, `-ERR` permanent-negative, a bare `+` (a SASL challenge,
 *    RFC 5034) intermediate.
 */
import type { ReplyOutcome } from './types';

/** The outcome of an SMTP/FTP reply code or a POP3 status indicator; undefined when it is neither. */
export function replyOutcome(code: string | number): ReplyOutcome | undefined {
  const c = String(code).trim();
  if (/^\d{3}$/.test(c)) {
    switch (c[0]) {
      case '1':
      case '2':
        return 'positive';
      case '3':
        return 'intermediate';
      case '4':
        return 'transient-negative';
      case '5':
        return 'permanent-negative';
      default:
        return undefined;
    }
  }
  const upper = c.toUpperCase();
  if (upper.startsWith('+OK')) return 'positive';
  if (upper.startsWith('-ERR')) return 'permanent-negative';
  if (c === '+' || c.startsWith('+ ')) return 'intermediate';
  return undefined;
}

/**
 * HTTP statuses (RFC 9110 §15): 2xx and 304 (the cached copy is still good) positive; 1xx and the
 * other 3xx intermediate (the client has more to do: wait for the final answer, follow the
 * redirect); 4xx and 5xx negative — permanent, since the same request fails again, except 408,
 * 429 and 503, which ask to retry later.
 */
export function httpStatusOutcome(status: number): ReplyOutcome | undefined {
  if (!Number.isInteger(status) || status < 100 || status > 599) return undefined;
  if ((status >= 200 && status < 300) || status === 304) return 'positive';
  if (status < 400) return 'intermediate';
  if (status === 408 || status === 429 || status === 503) return 'transient-negative';
  return 'permanent-negative';
}
