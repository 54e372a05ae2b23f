/**
 * 64-bit capture timestamps (pcapng: high and low 32-bit words in units of 1/unitsPerSec s) to
 * seconds + nanoseconds, exactly. Doubles while the value fits in 53 bits (microsecond stamps of
 * this century do), BigInt otherwise (nanosecond stamps).
 */
const TWO32 = 4294967296;
const MAX_EXACT = 2 ** 53;

export interface SecNsec {
  sec: number;
  nsec: number;
}

export function splitTimestamp(high: number, low: number, unitsPerSec: number, out: SecNsec): void {
  const value = high * TWO32 + low;
  if (value < MAX_EXACT && Number.isInteger(unitsPerSec) && unitsPerSec <= 1e9) {
    const sec = Math.floor(value / unitsPerSec);
    const frac = value - sec * unitsPerSec;
    out.sec = sec;
    out.nsec = unitsPerSec === 1e9 ? frac : Math.floor((frac * 1e9) / unitsPerSec);
    return;
  }
  const v = (BigInt(high) << 32n) | BigInt(low);
  const u = BigInt(unitsPerSec);
  const sec = v / u;
  out.sec = Number(sec);
  out.nsec = Number(((v - sec * u) * 1_000_000_000n) / u);
}

/** if_tsresol option byte → units per second (10^n, or 2^n when the high bit is set). */
export function unitsFromTsresol(b: number): number | null {
  const n = b & 0x7f;
  if (b & 0x80) return n <= 62 ? 2 ** n : null;
  return n <= 15 ? 10 ** n : null;
}
