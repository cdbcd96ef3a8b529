import { describe, expect, it } from 'vitest';
import { children, integer, namedBits, oid, readTlv, sequence, set, time, tlv } from './der.ts';

const hex = (b: Buffer) => b.toString('hex');

describe('DER writer', () => {
  it('encodes lengths in short and long form', () => {
    expect(hex(tlv(0x04, Buffer.alloc(3)))).toBe('0403000000');
    expect(hex(tlv(0x04, Buffer.alloc(200)).subarray(0, 3))).toBe('0481c8');
    expect(hex(tlv(0x04, Buffer.alloc(300)).subarray(0, 4))).toBe('0482012c');
  });

  it('encodes integers minimally and positive', () => {
    expect(hex(integer(0))).toBe('020100');
    expect(hex(integer(2))).toBe('020102');
    expect(hex(integer(128))).toBe('02020080');
    expect(hex(integer(Buffer.from([0, 0, 0x7f])))).toBe('02017f');
    expect(hex(integer(Buffer.from([0xff])))).toBe('020200ff');
  });

  it('encodes object identifiers (X.690 8.19)', () => {
    expect(hex(oid('1.2.840.113549.1.1.11'))).toBe('06092a864886f70d01010b');
    expect(hex(oid('2.5.29.17'))).toBe('0603551d11');
    expect(() => oid('1')).toThrow(RangeError);
  });

  it('strips trailing zero bits of named bit strings', () => {
    expect(hex(namedBits([0]))).toBe('03020780'); // digitalSignature
    expect(hex(namedBits([0, 5, 6]))).toBe('03020186'); // CA usages
  });

  it('sorts SET OF members', () => {
    expect(hex(set(Buffer.from('0401ff', 'hex'), Buffer.from('040100', 'hex')))).toBe('3106040100' + '0401ff');
  });

  it('uses UTCTime before 2050 and GeneralizedTime after', () => {
    expect(time(new Date('2026-11-23T10:00:00.123Z')).subarray(2).toString()).toBe('261123100000Z');
    expect(time(new Date('2026-11-23T10:00:00Z'))[0]).toBe(0x17);
    expect(time(new Date('2051-01-02T03:04:05Z')).subarray(2).toString()).toBe('20510102030405Z');
    expect(time(new Date('2051-01-02T03:04:05Z'))[0]).toBe(0x18);
  });

  it('reads back what it writes', () => {
    const seq = sequence(integer(5), oid('2.5.4.3'), tlv(0x04, Buffer.alloc(400)));
    const kids = children(readTlv(seq));
    expect(kids.map((k) => k.tag)).toEqual([0x02, 0x06, 0x04]);
    expect(kids[2]!.value.length).toBe(400);
    expect(() => readTlv(seq.subarray(0, 10))).toThrow(RangeError);
  });
});
