/**
 * Finding a free spot for the 归档章 on a copied page: DA/T 22 puts it at the top centre of the first page,
 * and moves it when something is printed there. The page is rendered as a small grey thumbnail (pdftoppm,
 * 36 dpi, a few ms) and candidate spots are tried from the top centre outwards until one shows only paper.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { SheetPlacement } from './structure.js';

const run = promisify(execFile);

export type Rect = { x: number; y: number; width: number; height: number };

type Gray = { width: number; height: number; pixels: Uint8Array };

/** Binary PGM (P5, maxval ≤ 255) as pdftoppm -gray writes it. */
export function parsePgm(data: Buffer): Gray | null {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 64).toString('latin1'));
  if (!header) return null;
  const width = Number(header[1]);
  const height = Number(header[2]);
  const offset = header[0].length;
  if (data.length < offset + width * height) return null;
  return { width, height, pixels: data.subarray(offset, offset + width * height) };
}

async function thumbnail(file: string, pageIndex: number): Promise<Gray | null> {
  try {
    const page = String(pageIndex + 1);
    const { stdout } = await run('pdftoppm', ['-q', '-r', '36', '-gray', '-f', page, '-l', page, file], {
      encoding: 'buffer',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 20_000,
    });
    return parsePgm(stdout);
  } catch {
    return null;
  }
}

/** Share of inked pixels (darker than light paper) of the thumbnail under a sheet rectangle. */
function inkUnder(gray: Gray, placement: SheetPlacement, rect: Rect): number {
  const x0 = Math.max(rect.x, placement.x);
  const x1 = Math.min(rect.x + rect.width, placement.x + placement.width);
  const y0 = Math.max(rect.y, placement.y);
  const y1 = Math.min(rect.y + rect.height, placement.y + placement.height);
  if (x1 <= x0 || y1 <= y0) return 0;
  const px = (x: number) => Math.round(((x - placement.x) / placement.width) * gray.width);
  const py = (y: number) => Math.round(((placement.y + placement.height - y) / placement.height) * gray.height);
  const left = Math.max(0, px(x0));
  const right = Math.min(gray.width, px(x1));
  const top = Math.max(0, py(y1));
  const bottom = Math.min(gray.height, py(y0));
  let inked = 0;
  let total = 0;
  for (let r = top; r < bottom; r += 1) {
    for (let c = left; c < right; c += 1) {
      total += 1;
      if (gray.pixels[r * gray.width + c] < 200) inked += 1;
    }
  }
  return total === 0 ? 0 : inked / total;
}

/**
 * Candidate spots for a box of `size` on the sheet, nearest the top centre first: along the top edge
 * outwards, then lower down, never into `avoid` (the 页号) and never past the upper third of the sheet.
 */
export function stampCandidates(placement: SheetPlacement, size: { width: number; height: number }, topInset: number, avoid: Rect[]): Rect[] {
  const out: { rect: Rect; cost: number }[] = [];
  const step = size.height / 2;
  const centreX = (placement.sheetWidth - size.width) / 2;
  const topY = placement.sheetHeight - topInset - size.height;
  for (let dy = 0; topY - dy > placement.sheetHeight * (2 / 3); dy += step) {
    for (let dx = 0; centreX - dx >= topInset || centreX + dx + size.width <= placement.sheetWidth - topInset; dx += size.width / 4) {
      for (const x of dx === 0 ? [centreX] : [centreX + dx, centreX - dx]) {
        if (x < topInset || x + size.width > placement.sheetWidth - topInset) continue;
        const rect = { x, y: topY - dy, ...size };
        if (avoid.some((a) => overlaps(a, rect))) continue;
        out.push({ rect, cost: dy * 2 + dx });
      }
    }
  }
  return out.sort((a, b) => a.cost - b.cost).map((c) => c.rect);
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The first candidate spot with no ink under it, or null when the page is printed all over its top. */
export async function findFreeSpot(file: string, pageIndex: number, placement: SheetPlacement, candidates: Rect[]): Promise<Rect | null> {
  const gray = await thumbnail(file, pageIndex);
  if (!gray) return null;
  // A few specks (scanner dust) do not make a spot occupied.
  return candidates.find((rect) => inkUnder(gray, placement, rect) <= 0.004) ?? null;
}
