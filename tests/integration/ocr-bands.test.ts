// The text detector runs on horizontal bands of the page (electron/backend/ocr/engine.ts, DETECTION_BAND_PIXELS) to
// bound the OCR process's memory. A line lying across the edge between two bands must still be found and read whole,
// and lines inside the bands must come back in their places, as on a page read at once.
import { createCanvas } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrEngine, DETECTION_BAND_PIXELS, DETECTION_MAX_SIDE, type OcrEngine } from '../../electron/backend/ocr/engine.js';
// Registers the CJK fonts the synthetic scans use (ScanSerif).
import '../helpers/scans.js';

const WIDTH = DETECTION_MAX_SIDE;
const BAND_ROWS = Math.floor(DETECTION_BAND_PIXELS / WIDTH / 32) * 32;
const HEIGHT = BAND_ROWS * 3;

/** Text centred on each band edge, and text in the middle of each band. */
const LINES = [
  { y: BAND_ROWS / 2, text: '青山县人民政府办公室关于印发劳务协作方案的通知' },
  { y: BAND_ROWS, text: '各乡镇人民政府县直各单位现将方案印发给你们' },
  { y: BAND_ROWS * 1.5, text: '请结合实际认真贯彻落实确保转移就业人数' },
  { y: BAND_ROWS * 2, text: '建档立卡贫困劳动力稳定就业持续增收' },
  { y: BAND_ROWS * 2.5, text: '二〇一九年十一月二十三日' },
];

function page(): Promise<Buffer> {
  const canvas = createCanvas(WIDTH, HEIGHT);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, WIDTH, HEIGHT);
  ctx.fillStyle = '#000000';
  ctx.font = '40px ScanSerif';
  ctx.textBaseline = 'middle';
  for (const line of LINES) ctx.fillText(line.text, 120, line.y);
  return canvas.encode('png');
}

let engine: OcrEngine;

beforeAll(async () => {
  engine = await createOcrEngine('paddle');
}, 60_000);

afterAll(async () => {
  await engine.close();
});

describe('text detection in bands', () => {
  it('reads a line lying across a band edge whole, and every line in its place', async () => {
    expect(HEIGHT * WIDTH).toBeGreaterThan(DETECTION_BAND_PIXELS * 2);
    const read = await engine.recognise(await page());
    expect(read.map((l) => l.text)).toEqual(LINES.map((l) => l.text));
    for (const [i, line] of read.entries()) {
      expect(line.top).toBeLessThan(LINES[i].y);
      expect(line.bottom).toBeGreaterThan(LINES[i].y);
    }
  }, 120_000);
});
