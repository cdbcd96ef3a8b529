import { describe, expect, it } from 'vitest';
import { fizzBuzz, integerSqrt, isPrime, isSquare, MAX_SAFE_VALUE, UnsafeIntegerError } from './arithmetic.ts';

/** ⌊√(2^53−1)⌋: the largest root whose square the schema admits. */
const R = 94_906_265;
const R2 = 9_007_199_136_250_225; // R², exact in a double (< 2^53)

describe('fizzBuzz', () => {
  it.each([
    [0, 'FizzBuzz'],
    [1, '1'],
    [2, '2'],
    [3, 'Fizz'],
    [5, 'Buzz'],
    [6, 'Fizz'],
    [10, 'Buzz'],
    [15, 'FizzBuzz'],
    [30, 'FizzBuzz'],
    [-1, '-1'],
    [-3, 'Fizz'],
    [-5, 'Buzz'],
    [-7, '-7'],
    [-15, 'FizzBuzz'],
    [MAX_SAFE_VALUE, '9007199254740991'], // 2^53−1 = 9007199254740991: digit sum 76, not ÷3, ends in 1
    [-MAX_SAFE_VALUE, '-9007199254740991'],
    [9_007_199_254_740_985, 'Buzz'], // ends in 5, digit sum 70 → not ÷3
    [9_007_199_254_740_990, 'FizzBuzz'], // digit sum 75 → ÷3, ends in 0
    [9_007_199_254_740_987, 'Fizz'], // digit sum 81 → ÷3, not ÷5
  ])('fizzBuzz(%d) = %s', (n, want) => {
    // Cross-check every row against an independent BigInt computation, so a wrong table row fails too.
    const b = BigInt(n);
    const ref = b % 15n === 0n ? 'FizzBuzz' : b % 3n === 0n ? 'Fizz' : b % 5n === 0n ? 'Buzz' : b.toString();
    expect(fizzBuzz(n)).toBe(ref);
    expect(fizzBuzz(n)).toBe(want);
  });

  it('refuses values that are not safe integers', () => {
    expect(() => fizzBuzz(2 ** 53)).toThrow(UnsafeIntegerError);
    expect(() => fizzBuzz(1.5)).toThrow(expect.objectContaining({ code: 'UnsafeInteger' }));
    expect(() => fizzBuzz(Number.NaN)).toThrow(UnsafeIntegerError);
  });
});

describe('isSquare', () => {
  it.each([
    [0, true],
    [1, true],
    [2, false],
    [3, false],
    [4, true],
    [15, false],
    [16, true],
    [17, false],
    [-1, false],
    [-4, false],
    [-MAX_SAFE_VALUE, false],
    [2 ** 52, true], // (2^26)²
    [2 ** 52 - 1, false],
    [2 ** 52 + 1, false],
    [R2, true],
    [R2 - 1, false],
    [R2 + 1, false],
    [(R - 1) ** 2, true],
    [(R - 1) ** 2 + 1, false],
    [MAX_SAFE_VALUE, false],
    [MAX_SAFE_VALUE - 1, false],
    [81, true],
    [67_108_863 ** 2, true], // (2^26−1)²
  ])('isSquare(%d) = %s', (n, want) => {
    expect(isSquare(n)).toBe(want);
  });

  it('is exact where a floating-point test is not', () => {
    // √(R²−1) rounds to exactly R in double precision, so the naive test calls it a square.
    expect(Number.isInteger(Math.sqrt(R2 - 1))).toBe(true);
    expect(isSquare(R2 - 1)).toBe(false);
  });

  it('agrees with BigInt for every square and neighbour near the top of the safe range', () => {
    for (let r = R - 200; r <= R; r++) {
      const sq = r * r; // exact: r² < 2^53
      expect(isSquare(sq)).toBe(true);
      expect(isSquare(sq - 1)).toBe(false);
      if (sq + 1 <= MAX_SAFE_VALUE) expect(isSquare(sq + 1)).toBe(false);
    }
  });
});

describe('integerSqrt', () => {
  it.each([
    [0, 0],
    [1, 1],
    [3, 1],
    [4, 2],
    [R2 - 1, R - 1],
    [R2, R],
    [MAX_SAFE_VALUE, R],
  ])('⌊√%d⌋ = %d', (n, want) => {
    expect(integerSqrt(n)).toBe(want);
  });

  it('refuses negatives', () => {
    expect(() => integerSqrt(-1)).toThrow(RangeError);
  });
});

describe('isPrime', () => {
  it.each([
    [-7, false],
    [0, false],
    [1, false],
    [2, true],
    [3, true],
    [4, false],
    [5, true],
    [7, true],
    [9, false],
    [13, true],
    [25, false],
    [49, false],
    [97, true],
    [7919, true],
    [9973, true], // largest prime ≤ 10000
    [10_000, false],
    [9_999, false], // 3·3·11·101
    [2_147_483_647, true], // 2^31−1
    [2_147_483_649, false], // 3 · 715827883
  ])('isPrime(%d) = %s', (n, want) => {
    expect(isPrime(n)).toBe(want);
  });

  it('matches a sieve for 0..10000 (the Fermat range)', () => {
    const sieve = new Array<boolean>(10_001).fill(true);
    sieve[0] = sieve[1] = false;
    for (let i = 2; i * i <= 10_000; i++) if (sieve[i]) for (let j = i * i; j <= 10_000; j += i) sieve[j] = false;
    for (let n = 0; n <= 10_000; n++) expect(isPrime(n), String(n)).toBe(sieve[n]);
  });
});
