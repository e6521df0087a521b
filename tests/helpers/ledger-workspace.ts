/**
 * The big workspace of the ledgers benchmark (issue 10): 10,000 evidence items, 50,000 ledger rows (transfer
 * employment, training, funds, consumption, with ~1% duplicates, ~0.5% bad ID numbers, some rows of last year and
 * 合计 rows) and 20 reports whose figures are checked. Deterministic (seeded), so a test can compare the full gap
 * report with one taken from earlier code (tests/unit/ledger/big-report.test.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Evidence, Framework, TargetValue, WorkspaceSettings } from '../../shared/domain/types.js';
import { createRng } from '../../electron/backend/demo/synth.js';
import { parseFramework } from '../../shared/framework/schema.js';
import type { GapInput } from '../../shared/gaps/analyze.js';
import type { ReportText } from '../../shared/ledger/checks.js';
import type { LedgerSheetData } from '../../shared/ledger/compute.js';
import { checkCharacter } from '../../shared/ledger/id-number.js';
import type { LedgerRow } from '../../shared/ledger/table.js';

export type BigLedgerWorkspace = {
  framework: Framework;
  sheets: LedgerSheetData[];
  reports: ReportText[];
  without: GapInput;
  withLedgers: GapInput;
};

export const BIG_ITEMS = 10_000;
export const BIG_ROWS = 50_000;

export function bigLedgerWorkspace(): BigLedgerWorkspace {
  const random = createRng(2019);
  const file = path.join(process.cwd(), 'templates', 'frameworks', 'east-west-2017.json');
  const framework = parseFramework(JSON.parse(readFileSync(file, 'utf8')), file);
  const codes = framework.categories.flatMap((c) => c.indicators.map((i) => i.code));

  const evidence: Evidence[] = Array.from({ length: BIG_ITEMS }, (_, i) => {
    const id = i + 1;
    const type = id <= 40 ? 'ledger' : id <= 60 ? 'report' : (['official-document', 'minutes', 'photo', 'voucher'] as const)[id % 4];
    return {
      id,
      sha256: id.toString(16).padStart(64, '0'),
      size: 100_000,
      originalName: `材料${id}.pdf`,
      source: `材料${id}`,
      format: 'pdf',
      type,
      typeOrigin: 'suggested',
      typeConfidence: 0.8,
      title: `材料${id}`,
      date: `2019-${String(1 + (id % 12)).padStart(2, '0')}-15`,
      readability: 'ok',
      links: [{ indicator: codes[id % codes.length], origin: 'user', confidence: 1 }],
      importedAt: '2019-12-01T08:00:00',
      updatedAt: '2019-12-01T08:00:00',
    } satisfies Evidence;
  });

  function idNumber(n: number): string {
    // One person, one number: the sequence is n's last three digits, the birth date counts the thousands.
    const k = Math.floor(n / 1000);
    const first = `621022${1960 + Math.floor(k / 336)}${String(1 + (k % 12)).padStart(2, '0')}${String(1 + (Math.floor(k / 12) % 28)).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`;
    const id = first + checkCharacter(first);
    return random() < 0.005 ? first + (id[17] === '1' ? '2' : '1') : id;
  }

  const DEST = ['east', 'in-province', 'other'];
  const sheets: LedgerSheetData[] = [];
  let person = 0;
  function addSheet(evidenceId: number, kind: string, count: number, row: (i: number) => LedgerRow['values']): void {
    const rows: LedgerRow[] = [];
    for (let i = 0; i < count; i++) rows.push({ row: i + 4, values: row(i) });
    sheets.push({ evidence: evidenceId, sheet: `Sheet${sheets.length + 1}`, kind, confidence: 0.9, headerRows: [3], columns: [], headers: [], rows, totals: [], unmatched: [] });
  }
  const personValues = () => {
    // ~1% of rows repeat someone already listed: duplicates and double counting.
    const n = random() < 0.01 && person > 0 ? Math.floor(random() * person) : person++;
    return { name: `人员${n}`, idNumber: idNumber(n) };
  };
  const date = () => (random() < 0.005 ? '2018-11-05' : `2019-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-10`);
  for (let s = 0; s < 10; s++) addSheet(1 + s, 'transfer-employment', 3_000, () => ({ ...personValues(), destination: DEST[Math.floor(random() * 3)], startDate: date(), income: 3000 }));
  for (let s = 0; s < 10; s++) addSheet(11 + s, 'labour-training', 1_000, () => ({ ...personValues(), trainingDate: date() }));
  for (let s = 0; s < 10; s++) addSheet(21 + s, 'leader-training', 200, () => ({ ...personValues(), trainingDate: date(), startedBusiness: random() < 0.6 ? 'yes' : 'no' }));
  for (let s = 0; s < 5; s++) addSheet(31 + s, 'fund-projects', 400, (i) => ({ name: `项目${s}-${i}`, amount: 50 + (i % 7), fundType: ['industry', 'employment', 'livelihood'][i % 3] }));
  for (let s = 0; s < 5; s++) addSheet(36 + s, 'consumption', 1_200, (i) => ({ date: date(), amount: 1.5 + (i % 5), buyerRegion: i % 4 ? 'east' : 'other' }));
  for (const sheet of sheets.filter((x) => x.kind === 'fund-projects')) {
    sheet.totals.push({ row: sheet.rows.length + 4, label: '合计', subtotal: false, values: { amount: sheet.rows.reduce((sum, r) => sum + Number(r.values.amount), 0) + 1 } });
  }
  const rowCount = sheets.reduce((n, s) => n + s.rows.length, 0);
  if (rowCount !== BIG_ROWS) throw new Error(`expected ${BIG_ROWS} rows, made ${rowCount}`);

  const reports = Array.from({ length: 20 }, (_, i) => ({
    evidence: 41 + i,
    text: `${'全县东西部扶贫协作工作稳步推进，各项指标完成良好。'.repeat(150)}帮助建档立卡贫困人口转移就业${20000 + i}人，其中赴天津就业${7000 + i}人，省内就近就业6000人。消费扶贫${900 + i}万元。`,
  }));

  const settings: WorkspaceSettings = { title: '基准', unit: '某县', periodStart: '2019-01-01', periodEnd: '2019-12-31', frameworkId: framework.id };
  const targets: TargetValue[] = [{ id: '5.2-t1', target: 20000, actual: 21000 }];
  const without: GapInput = { framework, settings, evidence, targets };
  const withLedgers: GapInput = { ...without, ledgers: sheets, reports };
  return { framework, sheets, reports, without, withLedgers };
}
