/**
 * Exact integer arithmetic for the math kinds.
 *
 * Every value the CRD schemas admit is a JavaScript safe integer (|n| ≤ 2^53−1), so a value read
 * from JSON is exact. Products of two such values are not: `r * r` for r ≈ 9.49e7 already lands
 * beyond 2^53 where doubles skip integers. So every check that multiplies goes through BigInt,
 * and floating point is only ever used for a first guess that is then corrected exactly.
 */

/** The largest magnitude the schemas admit (Number.MAX_SAFE_INTEGER, 2^53−1). */
export const MAX_SAFE_VALUE = Number.MAX_SAFE_INTEGER;

export class UnsafeIntegerError extends Error {
  readonly code = 'UnsafeInteger';
  constructor(readonly value: unknown) {
    super(
      `${String(value)} is not a safe integer: math values must be integers within ±(2^53−1); ` +
        'the CRD schema refuses anything else, so this value did not come through the API server',
    );
    this.name = 'UnsafeIntegerError';
  }
}

function assertSafeInteger(n: number): void {
  if (!Number.isSafeInteger(n)) throw new UnsafeIntegerError(n);
}

/**
 * Classic FizzBuzz, decided by divisibility for negatives too (−15 → "FizzBuzz", −7 → "-7").
 * 0 is divisible by everything, so it is "FizzBuzz".
 */
export function fizzBuzz(n: number): string {
  assertSafeInteger(n);
  // `%` keeps the sign of the dividend, and −15 % 15 is −0, which === 0: the tests hold for negatives.
  const by3 = n % 3 === 0;
  const by5 = n % 5 === 0;
  if (by3 && by5) return 'FizzBuzz';
  if (by3) return 'Fizz';
  if (by5) return 'Buzz';
  return String(n);
}

/**
 * ⌊√n⌋ for a non-negative safe integer, exactly. Math.sqrt is correctly rounded, but the
 * rounding of n itself to a double (exact here) and of the root can put the guess one off near
 * perfect squares, so the guess is corrected with exact BigInt products.
 */
export function integerSqrt(n: number): number {
  assertSafeInteger(n);
  if (n < 0) throw new RangeError(`integerSqrt of a negative number (${n})`);
  const target = BigInt(n);
  let r = BigInt(Math.floor(Math.sqrt(n)));
  while (r * r > target) r -= 1n;
  while ((r + 1n) * (r + 1n) <= target) r += 1n;
  return Number(r);
}

/** Whether n is the square of an integer: 0 is (0²), negatives never are. */
export function isSquare(n: number): boolean {
  assertSafeInteger(n);
  if (n < 0) return false;
  const r = BigInt(integerSqrt(n));
  return r * r === BigInt(n);
}

/**
 * Primality by trial division over 6k±1 up to ⌊√n⌋. Exact for every safe integer; its cost
 * (√n / 3 divisions) is trivial for Fermat's schema bound of 10000 and still only about
 * 3·10^7 divisions at 2^53.
 */
export function isPrime(n: number): boolean {
  assertSafeInteger(n);
  if (n < 2) return false;
  if (n < 4) return true;
  if (n % 2 === 0 || n % 3 === 0) return false;
  const limit = integerSqrt(n);
  for (let d = 5; d <= limit; d += 6) {
    if (n % d === 0 || n % (d + 2) === 0) return false;
  }
  return true;
}
