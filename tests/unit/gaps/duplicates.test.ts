import { describe, expect, it } from 'vitest';
import { hammingDistance } from '../../../shared/gaps/rules/duplicates.js';
import { analyze, link, makeEvidence } from './fixture.js';

/** Flip the given bit positions (0 = most significant) of a 16-hex-digit hash. */
function flip(hex: string, bits: number[]): string {
  let value = BigInt(`0x${hex}`);
  for (const bit of bits) value ^= 1n << BigInt(63 - bit);
  return value.toString(16).padStart(16, '0');
}

describe('duplicate', () => {
  it('groups photos within Hamming distance 5, even when every band differs but one', () => {
    const base = '8f3a5c7e9b1d2f40';
    // Five flipped bits spread over five of the six bands: only the last band still matches.
    const near = flip(base, [0, 12, 24, 36, 48]);
    expect(hammingDistance(base, near)).toBe(5);
    // Six bits away from the first photo and eleven from the second: a different photo.
    const far = flip(base, [1, 2, 3, 13, 25, 37]);
    expect(hammingDistance(base, far)).toBe(6);
    const items = [
      makeEvidence(3, { type: 'photo', title: '座谈会照片A', fingerprint: `d:${base}`, links: [link('1.3')] }),
      makeEvidence(5, { type: 'photo', title: '座谈会照片B', fingerprint: `d:${near}` }),
      makeEvidence(9, { type: 'photo', title: '别的照片', fingerprint: `d:${far}`, links: [link('1.3')] }),
    ];
    const found = analyze(items).findings.filter((f) => f.kind === 'duplicate');
    expect(found).toHaveLength(1);
    // The band that straddles the two 32-bit halves (bits 22–32) is the only one left in common here.
    const straddling = flip(base, [0, 12, 40, 50, 60]);
    const pair = [
      makeEvidence(1, { type: 'photo', fingerprint: `d:${base}` }),
      makeEvidence(2, { type: 'photo', fingerprint: `d:${straddling.toUpperCase()}` }),
    ];
    expect(analyze(pair).findings.filter((f) => f.kind === 'duplicate').map((f) => f.evidence)).toEqual([[1, 2]]);
    const [f] = found;
    expect(f.severity).toBe('warning');
    expect(f.evidence).toEqual([3, 5]);
    expect(f.indicator).toBe('1.3');
    expect(f.message).toBe('2 张照片几乎相同，可能重复归档：《座谈会照片A》、《座谈会照片B》。');
    expect(f.id).toBe('duplicate:1.3::3,5');
  });

  it('groups exact copies of a photo', () => {
    const items = [7, 3].map((id) => makeEvidence(id, { type: 'photo', title: `照片${id}`, fingerprint: 'd:0123456789abcdef', links: [link('1.3')] }));
    const found = analyze(items).findings.filter((f) => f.kind === 'duplicate');
    expect(found.map((f) => [f.evidence, f.detail.match])).toEqual([[[3, 7], 'image']]);
  });

  it('groups documents with equal text fingerprints, one finding per group', () => {
    const items = [
      makeEvidence(1, { title: '纪要', fingerprint: 't:abc' }),
      makeEvidence(2, { title: '纪要（复印件）', fingerprint: 't:abc' }),
      makeEvidence(4, { title: '纪要（又一份）', fingerprint: 't:abc' }),
      makeEvidence(6, { title: '方案', fingerprint: 't:def' }),
    ];
    const found = analyze(items).findings.filter((f) => f.kind === 'duplicate');
    expect(found.map((f) => f.evidence)).toEqual([[1, 2, 4]]);
    expect(found[0].message).toContain('3 份材料内容相同');
    expect(found[0].indicator).toBeUndefined();
  });

  it('finds duplicates among many photos without reporting the distinct ones', () => {
    const items = [];
    for (let i = 0; i < 2000; i++) {
      // Spread hashes apart: a multiplicative hash of i gives unrelated 64-bit values.
      const value = (BigInt(i + 1) * 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
      items.push(makeEvidence(i + 1, { type: 'photo', fingerprint: `d:${value.toString(16).padStart(16, '0')}` }));
    }
    const copy = items[1234].fingerprint?.slice(2) ?? '';
    items.push(makeEvidence(5000, { type: 'photo', fingerprint: `d:${flip(copy, [7, 40])}` }));
    const found = analyze(items).findings.filter((f) => f.kind === 'duplicate');
    expect(found.map((f) => f.evidence)).toEqual([[1235, 5000]]);
  });
});
