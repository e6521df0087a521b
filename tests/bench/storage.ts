// Storage benchmark on both engines: the calls a user waits for, on a workspace of 10,000 items.
// Run: npm run bench -- storage   (options: --items N --engine sqlite|postgres; default: both, PostgreSQL in a
// private cluster as the tests start it)
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDemo } from '../../electron/backend/demo/demo.js';
import { buildOutputs } from '../../electron/backend/generators/build.js';
import { Workspace, type NewEvidence } from '../../electron/backend/workspace/workspace.js';
import { startTestCluster } from '../helpers/postgres.js';

const arg = (name: string, fallback: number) => (process.argv.includes(`--${name}`) ? Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) : fallback);
const ITEMS = arg('items', 10_000);
const RUNS = 7;
const only = process.argv.includes('--engine') ? process.argv[process.argv.indexOf('--engine') + 1] : undefined;

const TYPES = ['official-document', 'minutes', 'plan', 'ledger', 'photo', 'news', 'voucher', 'roster'] as const;
const INDICATORS = ['1.1', '1.2', '1.3', '2.1', '2.2', '3.1', '4.1', '4.2', '5.1', '5.2', '6.1', '7.1'];

function item(i: number): NewEvidence {
  const type = TYPES[i % TYPES.length];
  const month = String((i % 12) + 1).padStart(2, '0');
  return {
    sha256: i.toString(16).padStart(64, '0'),
    size: 1000 + i,
    originalName: `材料${i}.pdf`,
    format: 'pdf',
    ext: 'pdf',
    type,
    typeOrigin: i % 3 ? 'user' : 'suggested',
    typeConfidence: 0.8,
    title: `关于第${i}项东西部协作工作的${type === 'minutes' ? '会议纪要' : '通知'}`,
    titleOrigin: 'text',
    docNumber: `青政发〔2019〕${i}号`,
    issuer: '青山县人民政府',
    date: `2019-${month}-15`,
    dateOrigin: 'text',
    pages: 2,
    readability: 'ok',
    fingerprint: `t:${(i * 2654435761 >>> 0).toString(16).padStart(16, '0')}`,
    text: `青山县东西部扶贫协作第${i}号材料，领导小组会议研究部署，挂职干部，劳务协作。`,
    links: [{ indicator: INDICATORS[i % INDICATORS.length], origin: i % 3 ? 'user' : 'suggested', confidence: 0.7 }],
  };
}

async function time<T>(fn: () => Promise<T>): Promise<{ median: number; p95: number; value: T }> {
  const samples: number[] = [];
  let value!: T;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    value = await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], p95: samples[Math.min(samples.length - 1, Math.ceil(samples.length * 0.95) - 1)], value };
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

async function measure(engine: 'sqlite' | 'postgres', database: string | null, root: string): Promise<void> {
  const ws = await Workspace.init(path.join(root, `ws-${engine}`), { templateId: 'east-west-2017', periodStart: '2019-01-01', periodEnd: '2019-12-31', database });
  // Stored originals are not needed to measure the metadata: the items are flagged missing-original, as they would be.
  const t0 = performance.now();
  for (let i = 0; i < ITEMS; i++) await ws.insertEvidence(item(i), `bench/${i}.pdf`);
  const insertMs = performance.now() - t0;
  const list = await time(() => ws.listEvidence());
  const gaps = await time(() => ws.gaps());
  const search3 = await time(() => ws.search('领导小组'));
  const search1 = await time(() => ws.search('纪'));
  const ids = list.value.slice(0, 200).map((e) => e.id);
  const batch = await time(async () => ws.update(ids, { note: `批量 ${Math.random()}` }));
  const undo = await time(() => ws.undoLast());
  await ws.close();
  console.log(`[${engine}] ${ITEMS} items inserted one transaction each: ${(insertMs / 1000).toFixed(1)} s (${(insertMs / ITEMS).toFixed(2)} ms an item)`);
  console.log(`[${engine}] list all items:          median ${ms(list.median)}, p95 ${ms(list.p95)}`);
  console.log(`[${engine}] gaps (load + analyse):   median ${ms(gaps.median)}, p95 ${ms(gaps.p95)}; ${gaps.value.findings.length} findings`);
  console.log(`[${engine}] search 4 characters:     median ${ms(search3.median)} (${search3.value.length} hits); 1 character: median ${ms(search1.median)} (${search1.value.length} hits)`);
  console.log(`[${engine}] batch edit of 200 items: median ${ms(batch.median)}; undo of it: median ${ms(undo.median)}`);

  const demo = (await buildDemo(path.join(root, `demo-${engine}`), { database })).workspace;
  const b0 = performance.now();
  const snapshot = await demo.snapshot();
  const snapshotMs = performance.now() - b0;
  const result = await buildOutputs(snapshot, demo, { outDir: path.join(root, `out-${engine}`), formats: ['pdf'], generatedAt: '2019-12-20T08:00:00Z', generatorVersion: 'bench' });
  const buildMs = performance.now() - b0;
  await demo.close();
  const pages = result.outputs.reduce((n, o) => n + (o.pages ?? 0), 0);
  console.log(`[${engine}] demo build (snapshot ${ms(snapshotMs)} + PDF): ${(buildMs / 1000).toFixed(2)} s, ${result.outputs.length} volumes, ${pages} pages`);
}

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'binder-bench-storage-'));
  try {
    if (only !== 'postgres') await measure('sqlite', null, root);
    if (only !== 'sqlite') {
      const cluster = await startTestCluster();
      try {
        await measure('postgres', cluster.url, root);
      } finally {
        cluster.stop();
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
