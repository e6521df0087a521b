import type { Finding } from '../../domain/types.js';
import { indicatorOrder, itemName, makeFinding, type AnalysisContext, type PreparedEvidence } from '../context.js';

/**
 * duplicate: the same text filed twice ("t:" fingerprints equal) or the same photo ("d:" 64-bit dHash within
 * Hamming distance 5). Near-identical images are found without comparing all pairs: the 64 bits are cut
 * into 6 bands of 11/11/11/11/10/10 bits; two hashes differing in at most 5 bits differ in at most 5 bands,
 * so they share at least one band exactly (pigeonhole). Only hashes sharing a band bucket are compared,
 * and with ~2,000 values per band the buckets stay tiny even for tens of thousands of photos.
 */

export const MAX_IMAGE_DISTANCE = 5;
/** [first bit, width] of each band, counting from the most significant bit. */
const BANDS: readonly [number, number][] = [
  [0, 11],
  [11, 11],
  [22, 11],
  [33, 11],
  [44, 10],
  [54, 10],
];
const IMAGE_HASH = /^d:[0-9a-f]{16}$/;

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Bits that differ between two 16-hex-digit hashes. */
export function hammingDistance(a: string, b: string): number {
  const hi = (parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16)) >>> 0;
  const lo = (parseInt(a.slice(8, 16), 16) ^ parseInt(b.slice(8, 16), 16)) >>> 0;
  return popcount32(hi) + popcount32(lo);
}

/** `width` bits of the 64-bit value (hi, lo) starting at bit `from` (0 = most significant). */
function bits(hi: number, lo: number, from: number, width: number): number {
  const end = from + width;
  if (end <= 32) return (hi >>> (32 - end)) & ((1 << width) - 1);
  if (from >= 32) return (lo >>> (64 - end)) & ((1 << width) - 1);
  const loWidth = end - 32;
  const high = hi & ((1 << (32 - from)) - 1);
  return ((high << loWidth) | (lo >>> (32 - loWidth))) >>> 0;
}

class DisjointSets {
  private readonly parent: number[];
  constructor(size: number) {
    this.parent = Array.from({ length: size }, (_, i) => i);
  }
  find(i: number): number {
    let root = i;
    while (this.parent[root] !== root) root = this.parent[root];
    while (this.parent[i] !== root) {
      const next = this.parent[i];
      this.parent[i] = root;
      i = next;
    }
    return root;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    // Smaller index as root keeps the grouping independent of bucket visiting order.
    if (ra < rb) this.parent[rb] = ra;
    else if (rb < ra) this.parent[ra] = rb;
  }
}

/** Groups of two or more near-identical image hashes (indexes into `hashes`, which are distinct values). */
function groupImageHashes(hashes: string[]): number[][] {
  // 21 bits of index in the packed sort keys: up to two million distinct photo hashes.
  const n = Math.min(hashes.length, 0x200000);
  const his = new Uint32Array(n);
  const los = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    his[i] = parseInt(hashes[i].slice(2, 10), 16);
    los[i] = parseInt(hashes[i].slice(10, 18), 16);
  }
  const sets = new DisjointSets(n);
  // Per band, sort (band value, index) packed in one uint32 — 11 bits of value above 21 bits of index —
  // and compare within each run of equal band values. No per-bucket arrays, and typed-array sorting is fast.
  const packed = new Uint32Array(n);
  for (const [from, width] of BANDS) {
    for (let i = 0; i < n; i++) packed[i] = ((bits(his[i], los[i], from, width) << 21) | i) >>> 0;
    packed.sort();
    for (let start = 0; start < n; ) {
      const value = packed[start] >>> 21;
      let end = start + 1;
      while (end < n && packed[end] >>> 21 === value) end++;
      for (let x = start; x < end; x++) {
        const a = packed[x] & 0x1fffff;
        for (let y = x + 1; y < end; y++) {
          const b = packed[y] & 0x1fffff;
          const distance = popcount32((his[a] ^ his[b]) >>> 0) + popcount32((los[a] ^ los[b]) >>> 0);
          if (distance <= MAX_IMAGE_DISTANCE) sets.union(a, b);
        }
      }
      start = end;
    }
  }
  const size = new Uint32Array(n);
  for (let i = 0; i < n; i++) size[sets.find(i)]++;
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const root = sets.find(i);
    if (size[root] < 2) continue;
    const group = groups.get(root);
    if (group) group.push(i);
    else groups.set(root, [i]);
  }
  return [...groups.values()];
}

export function checkDuplicates(ctx: AnalysisContext): Finding[] {
  // Most fingerprints are unique: keep a single item as is and make a list only on the second one.
  const byText = new Map<string, PreparedEvidence | PreparedEvidence[]>();
  const byImage = new Map<string, PreparedEvidence | PreparedEvidence[]>();
  for (const p of ctx.evidence) {
    const raw = p.item.fingerprint;
    if (!raw || raw.length < 3) continue;
    let map: typeof byText;
    let fp = raw;
    if (raw.startsWith('t:')) map = byText;
    else {
      // Hashes are written in lower case; upper-case input is accepted but costs a new string.
      if (!IMAGE_HASH.test(fp)) {
        fp = raw.toLowerCase();
        if (!IMAGE_HASH.test(fp)) continue;
      }
      map = byImage;
    }
    const seen = map.get(fp);
    if (seen === undefined) map.set(fp, p);
    else if (Array.isArray(seen)) seen.push(p);
    else map.set(fp, [seen, p]);
  }
  const membersOf = (entry: PreparedEvidence | PreparedEvidence[] | undefined) =>
    entry === undefined ? [] : Array.isArray(entry) ? entry : [entry];
  const groups: { members: PreparedEvidence[]; image: boolean; fingerprints: string[] }[] = [];
  for (const [fp, entry] of byText) {
    if (Array.isArray(entry)) groups.push({ members: entry, image: false, fingerprints: [fp] });
  }
  const imageHashes = [...byImage.keys()];
  for (const group of groupImageHashes(imageHashes)) {
    const fingerprints = group.map((i) => imageHashes[i]);
    const members = fingerprints.flatMap((fp) => membersOf(byImage.get(fp)));
    groups.push({ members, image: true, fingerprints: fingerprints.sort() });
  }
  // Exact image copies whose hash has no near neighbour are not in any band group.
  const grouped = new Set(groups.flatMap((g) => (g.image ? g.fingerprints : [])));
  for (const [fp, entry] of byImage) {
    if (Array.isArray(entry) && !grouped.has(fp)) groups.push({ members: entry, image: true, fingerprints: [fp] });
  }

  for (const group of groups) group.members.sort((a, b) => a.id - b.id);
  groups.sort((a, b) => a.members[0].id - b.members[0].id);
  const findings = groups.map(({ members, image, fingerprints }) => {
    const ids = members.map((p) => p.id);
    const linked = members.flatMap((p) => p.indicators);
    const indicator = linked.length
      ? linked.reduce((best, code) => (indicatorOrder(ctx, code) < indicatorOrder(ctx, best) ? code : best))
      : undefined;
    const names = members.map((p) => itemName(p.item));
    const shown = names.length > 5 ? `${names.slice(0, 5).join('、')} 等` : names.join('、');
    return makeFinding(ctx, {
      severity: 'warning',
      kind: 'duplicate',
      ...(indicator ? { indicator } : {}),
      evidence: ids,
      message: image
        ? `${ids.length} 张照片几乎相同，可能重复归档：${shown}。`
        : `${ids.length} 份材料内容相同：${shown}。`,
      action: '请只保留一份，其余移入回收站或换成不同的材料；重复堆砌会被视为“痕迹主义”。',
      detail: { fingerprints, match: image ? 'image' : 'text', count: ids.length },
    });
  });
  return findings;
}
