/**
 * Personal data in the submission edition (issue 10 item 5): a workspace holding a roster XLSX, a GBK CSV and a
 * DOCX with valid ID numbers and mobile numbers is built through the CLI; the PDF text, the DOCX XML, every XLSX
 * cell and CSV line in the zip are scanned for valid 18-digit ID numbers. With --no-mask they are all there and
 * the build warns. A PDF original that shows an ID number cannot be masked: the build names it.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZipFiles } from '../../electron/backend/generators/package/zip-io.js';
import { findPersonalData } from '../../shared/privacy/mask.js';
import { buildCli, runCli } from '../helpers/cli.js';
import { makePdf } from './fixtures/output-workspace.js';

/** Real-shaped, valid (GB 11643 check digit, real birth dates) numbers, and the masks the inspectors must see. */
const XLSX_IDS = ['621022199001011234', '621022198507153315', '11010519491231002X'];
const CSV_ID = '120104197802034529';
const DOCX_ID = '621022200002290015';
const TITLE_ID = '621022198507153315';
const PDF_ID = '620102198812120017';
const PHONES = ['13812345678', '15909317788'];
const ACCOUNT = '62284800123456789012';

const idsIn = (text: string): string[] => findPersonalData(text).filter((m) => m.kind === 'id').map((m) => text.slice(m.start, m.end));

async function rosterXlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('公益性岗位');
  sheet.addRow(['某县公益性岗位人员花名册']);
  sheet.mergeCells('A1:F1');
  sheet.addRow(['序号', '姓名', '身份证号', '联系电话', '银行账号', '备注']);
  sheet.addRow([1, '张三', XLSX_IDS[0], PHONES[0], ACCOUNT, '']);
  // A mobile typed as a number, and an ID inside the 备注 text.
  sheet.addRow([2, '李四', XLSX_IDS[1], Number(PHONES[1]), '', '']);
  sheet.addRow([3, '王五', '', '', '', `户主身份证${XLSX_IDS[2]}，监测对象`]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function noticeDocx(): Promise<Buffer> {
  // Word splits numbers over runs after an edit: the ID is cut in two runs here.
  return Packer.toBuffer(
    new Document({
      sections: [
        {
          children: [
            new Paragraph('关于公益性岗位人员的情况说明'),
            new Paragraph({ children: [new TextRun('经核实，赵六（身份证号6210'), new TextRun(`${DOCX_ID.slice(4)}），联系电话${PHONES[0]}。`)] }),
          ],
        },
      ],
    }),
  );
}

let cli: string;
let root: string;
let ws: string;
let before: Map<string, string>;

/** SHA-256 of every stored original, by path. */
function vaultHashes(): Map<string, string> {
  const files = execFileSync('find', [path.join(ws, 'vault'), '-type', 'f'], { encoding: 'utf8' }).trim().split('\n');
  return new Map(files.map((f) => [f, createHash('sha256').update(readFileSync(f)).digest('hex')]));
}

beforeAll(async () => {
  cli = await buildCli();
  root = mkdtempSync(path.join(tmpdir(), 'eb-mask-'));
  ws = path.join(root, 'ws');
  const inbox = path.join(root, 'inbox');
  mkdirSync(inbox);
  writeFileSync(path.join(inbox, '公益性岗位花名册.xlsx'), await rosterXlsx());
  writeFileSync(path.join(inbox, '转移就业台账.csv'), iconv.encode(`序号,姓名,身份证号,联系电话,备注\r\n1,孙七,${CSV_ID},${PHONES[1]},脱贫户\r\n2,周八,${ACCOUNT},,\r\n`, 'gbk'));
  writeFileSync(path.join(inbox, '情况说明.docx'), await noticeDocx());
  writeFileSync(path.join(inbox, '扫描件-身份证复印件.pdf'), await makePdf(['身份证复印件', `公民身份号码 ${PDF_ID}`]));
  expect(runCli(cli, ['init', ws, '--template', 'east-west-2017', '--title', '青山县佐证材料', '--period', '2019-01-01..2019-12-31']).code).toBe(0);
  const imported = runCli(cli, ['import', ws, inbox, '--indicator', '5.1', '--no-ocr-wait', '--json']);
  expect(imported.code, imported.stderr).toBe(0);
  // A title typed by the user that carries an ID number reaches every catalogue, the DOCX and the zip's names.
  const roster = (imported.json as { imported: { source: string; id: number }[] }).imported.find((i) => i.source.endsWith('.xlsx'))!;
  expect(runCli(cli, ['set', ws, String(roster.id), '--title', `公益性岗位花名册（张三${TITLE_ID}）`]).code).toBe(0);
  before = vaultHashes();
  expect(before.size).toBe(4);
}, 300_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

type Build = { outputs: { format: string; path: string }[]; warnings: { kind: string; item: string | null; message: string; messageEn?: string }[] };

function build(out: string, extra: string[] = []): Build {
  const result = runCli(cli, ['build', ws, '--out', path.join(root, out), '--format', 'pdf,docx,zip', '--generated-at', '2019-12-20T09:00:00Z', '--json', ...extra]);
  expect(result.code, result.stderr).toBe(0);
  return result.json as Build;
}

/** Everything a reader of the pack sees as text: PDF text, DOCX XML, XLSX cells, CSV lines and member names in the zip. */
async function packText(result: Build): Promise<{ pdf: string; docx: string; zipSheets: string; zipDocx: string; names: string }> {
  const pdf = result.outputs.filter((o) => o.format === 'pdf').map((o) => execFileSync('pdftotext', ['-layout', o.path, '-'], { encoding: 'utf8' })).join('\n');
  const docxXml = async (bytes: Buffer) => [...(await readZipFiles(bytes))].filter(([n]) => n.startsWith('word/') && n.endsWith('.xml')).map(([, d]) => d.toString('utf8')).join('\n');
  const docx = await docxXml(readFileSync(result.outputs.find((o) => o.format === 'docx')!.path));
  const members = await readZipFiles(result.outputs.find((o) => o.format === 'zip')!.path);
  const sheets: string[] = [];
  const docs: string[] = [];
  for (const [name, data] of members) {
    if (name.endsWith('.csv')) sheets.push(data.toString('utf8'));
    if (name.endsWith('.docx')) docs.push(await docxXml(data));
    if (name.endsWith('.xlsx')) {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(new Uint8Array(data).buffer);
      workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => sheets.push(cell.text))));
    }
  }
  return { pdf, docx, zipSheets: sheets.join('\n'), zipDocx: docs.join('\n'), names: [...members.keys()].join('\n') };
}

describe('submission edition masks personal data', () => {
  it('shows no valid ID number anywhere but the PDF original it warns about; masks read 621022********1234 and 138****5678', async () => {
    const result = build('masked');
    const text = await packText(result);
    // The roster table, its title, and the converted DOCX are in the PDF only masked.
    expect(idsIn(text.pdf)).toEqual([PDF_ID]);
    for (const masked of ['621022********1234', '110105********002X', '138****5678', '159****7788', '621022********0015', '120104********4529']) expect(text.pdf).toContain(masked);
    expect(text.pdf).toContain(ACCOUNT);
    expect(idsIn(text.docx)).toEqual([]);
    expect(text.docx).toContain('公益性岗位花名册（张三621022********3315）');
    expect(idsIn(text.zipSheets)).toEqual([]);
    expect(text.zipSheets).toContain('621022********1234');
    expect(text.zipSheets).toContain('138****5678');
    expect(text.zipSheets).toContain('159****7788');
    expect(text.zipSheets).toContain('120104********4529');
    expect(text.zipSheets).toContain(ACCOUNT);
    for (const phone of PHONES) for (const [where, t] of Object.entries(text)) expect(t, where).not.toContain(phone);
    expect(idsIn(text.zipDocx)).toEqual([]);
    expect(text.zipDocx).toContain('6210');
    expect(idsIn(text.names)).toEqual([]);
    const warning = result.warnings.find((w) => w.kind === 'personal-data');
    expect(warning?.item).toBe('身份证复印件');
    expect(warning?.message).toMatch(/《身份证复印件》的内容含有身份证号，但该原件.*无法自动遮盖/);
    expect(warning?.messageEn).toMatch(/cannot be masked automatically/);
    expect(result.warnings.filter((w) => w.kind === 'personal-data')).toHaveLength(1);
  });

  it('never changes the vault originals', () => {
    expect(vaultHashes()).toEqual(before);
  });

  it('with --no-mask every number is there in full and the build says the pack holds personal information', async () => {
    const result = build('unmasked', ['--no-mask']);
    const text = await packText(result);
    expect(new Set(idsIn(text.pdf))).toEqual(new Set([...XLSX_IDS, CSV_ID, DOCX_ID, PDF_ID, TITLE_ID]));
    expect(new Set(idsIn(text.zipSheets))).toEqual(new Set([...XLSX_IDS, CSV_ID, TITLE_ID]));
    expect(idsIn(text.docx)).toContain(TITLE_ID);
    expect(result.warnings).toContainEqual(expect.objectContaining({ kind: 'personal-data', message: expect.stringMatching(/本次报送版未遮盖个人信息/) }));
  });
});
