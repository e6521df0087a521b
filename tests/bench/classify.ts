// Time per file of classify() over the labelled set ×50, without and with a model of user corrections.
// Run: node scripts/bench.mjs classify
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { classify, trainModel } from '../../shared/classify/classify.js';
import { extractDocMeta } from '../../shared/extract/docmeta.js';
import type { EvidenceType, FileFormat } from '../../shared/domain/types.js';
import { parseFramework } from '../../shared/framework/schema.js';

type Labelled = { fileName: string; text: string; format: FileFormat; type: EvidenceType; indicators: string[] };
const framework = parseFramework(JSON.parse(readFileSync('templates/frameworks/east-west-2017.json', 'utf8')), 'east-west-2017.json');
const items = JSON.parse(readFileSync('tests/fixtures/labelled/items.json', 'utf8')) as Labelled[];
const inputs = items.map((i) => ({ fileName: i.fileName, text: i.text, format: i.format }));
const ROUNDS = 50;

function time(label: string, fn: () => void, files: number): void {
  const t0 = performance.now();
  fn();
  const ms = performance.now() - t0;
  console.log(`${label}: ${files} files in ${ms.toFixed(0)} ms = ${((ms / files) * 1000).toFixed(0)} µs/file`);
}

const coldStart = performance.now();
classify(inputs[0], framework);
console.log(`first call (indexes the framework): ${(performance.now() - coldStart).toFixed(1)} ms`);

time('extractDocMeta', () => { for (let r = 0; r < ROUNDS; r++) for (const i of items) extractDocMeta(i.text, i.fileName); }, items.length * ROUNDS);
time('classify, no model', () => { for (let r = 0; r < ROUNDS; r++) for (const i of inputs) classify(i, framework); }, inputs.length * ROUNDS);

// A workspace where the user has corrected 300 files (the labelled set repeated with different names).
const corrections = Array.from({ length: 300 }, (_, k) => {
  const item = items[k % items.length];
  return { input: { ...inputs[k % inputs.length], fileName: `${k}-${item.fileName}` }, type: item.type, indicators: item.indicators };
});
const t0 = performance.now();
const model = trainModel(framework, corrections);
console.log(`trainModel, 300 corrections: ${(performance.now() - t0).toFixed(0)} ms, model JSON ${(JSON.stringify(model).length / 1024).toFixed(0)} KiB`);
time('classify, model of 300 corrections', () => { for (let r = 0; r < 10; r++) for (const i of inputs) classify(i, framework, model); }, inputs.length * 10);
