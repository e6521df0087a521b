import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { InputOf, JobKind, JobResult, Method, OutputOf, WorkspaceInfo } from '../../shared/api/contract.js';
import { EVIDENCE_TYPES, REVIEW_STATES, type Evidence, type EvidenceType } from '../../shared/domain/types.js';
import { isIsoDate } from '../../shared/domain/dates.js';
import type { RectificationItem } from '../../shared/rectification/types.js';
import { ROLES, type Role } from '../../shared/team/roles.js';
import type { UserRow } from '../../shared/team/types.js';
import { AppError, toApiError } from '../../shared/errors.js';
import type { Workspace } from '../backend/workspace/workspace.js';
import * as format from './format.js';
import { readHiddenLine } from './password.js';

export const VERSION = '0.1.0';

/** A wrong command line: exit code 2 (a failure of the command itself is 1). */
class UsageError extends AppError {
  constructor(message: string) {
    super('usage', message);
  }
}

type Options = Record<string, string | boolean | (string | boolean)[] | undefined>;
type Args = { positionals: string[]; values: Options; json: boolean };

/** The one way into the app: the same contract, validation and handlers as the workbench. */
type Api = {
  call<M extends Method>(method: M, input: InputOf<M>): Promise<OutputOf<M>>;
  /** Waits for a long job (import, build), showing its progress; Ctrl+C cancels it. */
  wait<K extends JobKind>(kind: K, jobId: string, progress: boolean): Promise<JobResult<K>>;
};

type Command = {
  /** Lines of the help text: the first is the synopsis, any further ones are indented details. */
  help: string[];
  options?: ParseArgsConfig['options'];
  run: (args: Args, api: Api) => Promise<format.Output>;
};

function str(values: Options, key: string): string | undefined {
  const v = values[key];
  return typeof v === 'string' ? v : undefined;
}

function list(values: Options, key: string): string[] {
  const v = values[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

function need(positionals: string[], index: number, what: string): string {
  const v = positionals[index];
  if (!v) throw new UsageError(`缺少参数：${what}`);
  return v;
}

function parseId(raw: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw new UsageError(`材料编号应为正整数：${raw}`);
  return id;
}

/** The department a notice or a kit is for (as the framework names it; the backend checks the name). */
function departmentArg(values: Options): string {
  const department = str(values, 'department');
  if (!department) throw new UsageError('缺少 --department 部门名');
  return department;
}

function positiveInt(values: Options, key: string, min: number): number | undefined {
  const raw = str(values, key);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${key} 应为不小于 ${min} 的整数`);
  return n;
}

function parseAssignments(entries: string[], what: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new UsageError(`${what} 的格式应为 编号=值，例如 4.2-t1=6`);
    map.set(entry.slice(0, eq).trim(), entry.slice(eq + 1).trim());
  }
  return map;
}

function parseNumber(raw: string, id: string): number | null {
  if (raw === '' || raw === '-') return null;
  const n = Number(raw.replace(/,/g, ''));
  if (!Number.isFinite(n)) throw new UsageError(`目标 ${id} 的数值“${raw}”不是数字`);
  return n;
}

/** Opens the workspace named on the command line as the session's current one. */
function open(api: Api, positionals: string[]): Promise<WorkspaceInfo> {
  return api.call('workspace.open', { dir: need(positionals, 0, '工作区') });
}

const str1 = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;
const many = { type: 'string', multiple: true } as const;

const COMMANDS: Record<string, Command> = {
  templates: {
    help: ['templates                           列出内置考核框架模板'],
    run: async (_args, api) => {
      const templates = await api.call('templates.list', {});
      return { data: templates, text: () => format.describeTemplates(templates) };
    },
  },
  framework: {
    help: ['framework <工作区|模板id>           显示框架（类别 → 指标 → 材料要求、目标）'],
    run: async ({ positionals }, api) => {
      const target = need(positionals, 0, '工作区或模板 id');
      const fw = existsSync(target) ? (await api.call('workspace.open', { dir: target })).framework : await api.call('templates.get', { id: target });
      return { data: fw, text: () => format.describeFramework(fw) };
    },
  },
  init: {
    help: [
      'init <工作区> --template <id> [--title T] [--unit U] [--period 2019-01-01..2019-12-31] [--fonds Z109] [--org XZB] [--database postgres://用户@主机:端口/库]',
      '新建工作区（--database：著录数据放在 PostgreSQL 服务器上，密码由 PGPASSWORD 或 .pgpass 提供）',
    ],
    options: { template: str1, title: str1, unit: str1, period: str1, fonds: str1, org: str1, database: str1 },
    run: async ({ positionals, values }, api) => {
      const dir = need(positionals, 0, '工作区文件夹');
      const templateId = str(values, 'template');
      if (!templateId) {
        const ids = (await api.call('templates.list', {})).map((t) => t.id);
        throw new UsageError(`缺少 --template。可用模板：${ids.join('、')}`);
      }
      let periodStart: string | undefined;
      let periodEnd: string | undefined;
      const period = str(values, 'period');
      if (period) {
        const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(period);
        if (!m) throw new UsageError('--period 的格式应为 2019-01-01..2019-12-31');
        [periodStart, periodEnd] = [m[1], m[2]];
      }
      const info = await api.call('workspace.create', {
        dir,
        templateId,
        title: str(values, 'title'),
        unit: str(values, 'unit'),
        periodStart,
        periodEnd,
        fonds: str(values, 'fonds'),
        orgCode: str(values, 'org'),
        ...(str(values, 'database') ? { database: str(values, 'database') } : {}),
      });
      return { data: { dir: info.dir, settings: info.settings }, text: () => format.describeNewWorkspace(info.dir, info.settings) };
    },
  },
  import: {
    help: [
      'import <工作区> <文件或文件夹或zip>… [--indicator 1.2] [--requirement 1.2-2] [--no-ocr-wait]',
      '导入材料（相同内容只存一份）；扫描件和图片随后做文字识别（OCR），默认等识别完成再退出',
    ],
    options: { indicator: str1, requirement: str1, 'no-ocr-wait': flag },
    run: async ({ positionals, values, json }, api) => {
      await open(api, positionals);
      const paths = positionals.slice(1);
      if (!paths.length) throw new UsageError('缺少要导入的文件或文件夹');
      const { jobId } = await api.call('evidence.import', { paths, indicator: str(values, 'indicator'), requirement: str(values, 'requirement') });
      const report = await api.wait('import', jobId, !json);
      if (values['no-ocr-wait']) return { data: report, text: () => format.describeImport(report) };
      const ids = report.imported.map((i) => i.id);
      const ocr = ids.length ? await api.wait('ocr', (await api.call('evidence.ocr', { ids })).jobId, true) : { done: 0, failed: [], cancelled: false };
      // The entries now say what OCR found (type, title, date, indicators).
      const after = new Map((await api.call('evidence.list', {})).map((ev) => [ev.id, ev]));
      for (const entry of report.imported) {
        const ev = after.get(entry.id);
        if (ev) Object.assign(entry, { type: ev.type, title: ev.title, indicators: ev.links.map((l) => l.indicator) }, ev.date ? { date: ev.date } : {});
      }
      return { data: { ...report, ocr }, text: () => `${format.describeImport(report)}${format.describeOcr(ocr)}` };
    },
  },
  ocr: {
    help: ['ocr <工作区>                        对尚未识别的扫描件和图片做文字识别（继续上次中断的识别）'],
    run: async ({ positionals }, api) => {
      await open(api, positionals);
      const ocr = await api.wait('ocr', (await api.call('evidence.ocr', {})).jobId, true);
      return { data: ocr, text: () => format.describeOcr(ocr).trim() || '没有需要文字识别的材料。' };
    },
  },
  list: {
    help: ['list <工作区> [--trash] [--search 词]', '列出材料（--search：按题名、文号、全文含 OCR 文字查找）'],
    options: { trash: flag, search: str1 },
    run: async ({ positionals, values }, api) => {
      await open(api, positionals);
      const query = str(values, 'search');
      if (query !== undefined && values.trash) throw new UsageError('--search 只查找未删除的材料，不能与 --trash 同用');
      const all = values.trash ? await api.call('evidence.trash', {}) : await api.call('evidence.list', {});
      const found = query === undefined ? null : new Set(await api.call('evidence.search', { query }));
      const items = found ? all.filter((ev) => found.has(ev.id)) : all;
      return { data: items, text: () => format.describeEvidence(items) };
    },
  },
  link: {
    help: ['link <工作区> <材料编号> <指标编码>… [--requirement ID]'],
    options: { requirement: str1 },
    run: (args, api) => linkOrUnlink('link', args, api),
  },
  unlink: {
    help: ['unlink <工作区> <材料编号> <指标编码>…'],
    run: (args, api) => linkOrUnlink('unlink', args, api),
  },
  set: {
    help: [
      'set <工作区> <材料编号> [--type T] [--title …] [--doc-number …] [--issuer …] [--date YYYY-MM-DD]',
      '    [--subject 事由] [--place 地点] [--people 人物] [--photographer 摄影者] [--caption-time YYYY-MM-DD] [--note 说明]',
    ],
    options: {
      type: str1,
      title: str1,
      'doc-number': str1,
      issuer: str1,
      date: str1,
      subject: str1,
      place: str1,
      people: str1,
      photographer: str1,
      'caption-time': str1,
      background: str1,
      note: str1,
      copy: flag,
    },
    run: async ({ positionals, values }, api) => {
      await open(api, positionals);
      const id = parseId(need(positionals, 1, '材料编号'));
      const type = str(values, 'type');
      if (type && !EVIDENCE_TYPES.includes(type as EvidenceType)) {
        throw new UsageError(`未知的材料类型 ${type}。可用：${EVIDENCE_TYPES.map((t) => `${t}(${format.typeLabel(t)})`).join('、')}`);
      }
      const patch: InputOf<'evidence.update'>['patch'] = {};
      if (type) patch.type = type as EvidenceType;
      if (str(values, 'title') !== undefined) patch.title = str(values, 'title');
      if (str(values, 'doc-number') !== undefined) patch.docNumber = str(values, 'doc-number');
      if (str(values, 'issuer') !== undefined) patch.issuer = str(values, 'issuer');
      if (str(values, 'date') !== undefined) patch.date = str(values, 'date');
      if (values.copy) patch.isCopy = true;
      const caption = {
        subject: str(values, 'subject'),
        place: str(values, 'place'),
        people: str(values, 'people'),
        photographer: str(values, 'photographer'),
        time: str(values, 'caption-time'),
        background: str(values, 'background'),
      };
      if (Object.values(caption).some((v) => v !== undefined)) {
        patch.caption = Object.fromEntries(Object.entries(caption).filter(([, v]) => v !== undefined));
      }
      if (str(values, 'note') !== undefined) patch.note = str(values, 'note');
      if (!Object.keys(patch).length) throw new UsageError('没有要修改的内容：请给出 --type、--title、--date 等');
      const [ev] = await api.call('evidence.update', { ids: [id], patch });
      return { data: ev, text: () => format.describeEvidence([ev]) };
    },
  },
  targets: {
    help: [
      'targets <工作区> [--set 编号=完成值]… [--target 编号=目标值]… [--source 编号=数据来源]… [--accept-computed 编号…]',
      '--accept-computed 采用台账计算值作为完成数（可撤销）',
    ],
    options: { set: many, target: many, source: many, 'accept-computed': flag },
    run: async ({ positionals, values }, api) => {
      await open(api, positionals);
      if (values['accept-computed']) {
        const ids = positionals.slice(1);
        if (!ids.length) throw new UsageError('--accept-computed 后请给出目标编号，例如 binder targets 工作区 --accept-computed 5.2-t1 5.2-t2');
        const rows = await api.call('targets.acceptComputed', { ids });
        return { data: rows, text: () => format.describeTargets(rows) };
      }
      const actuals = parseAssignments(list(values, 'set'), '--set');
      const goals = parseAssignments(list(values, 'target'), '--target');
      const sources = parseAssignments(list(values, 'source'), '--source');
      const ids = [...new Set([...actuals.keys(), ...goals.keys(), ...sources.keys()])];
      const items = ids.map((id) => ({
        id,
        ...(actuals.has(id) ? { actual: parseNumber(actuals.get(id) ?? '', id) } : {}),
        ...(goals.has(id) ? { target: parseNumber(goals.get(id) ?? '', id) } : {}),
        ...(sources.has(id) ? { source: sources.get(id) } : {}),
      }));
      const rows = items.length ? await api.call('targets.setMany', { items }) : await api.call('targets.list', {});
      return { data: rows, text: () => format.describeTargets(rows) };
    },
  },
  ledgers: {
    help: [
      'ledgers <工作区> [--map 材料编号[:工作表] --kind 台账类型 [--column 表头=字段]…] [--rows 材料编号[:工作表] [--offset N] [--limit N] [--unmasked]]',
      '列出读作台账的电子表格；--map 人工指定台账类型和列（字段为空表示不读该列），以后不会被自动识别覆盖；--rows 列出一张表读出的数据行（身份证号、手机号默认遮蔽）',
    ],
    options: { map: str1, kind: str1, column: many, rows: str1, offset: str1, limit: str1, unmasked: flag },
    run: async ({ positionals, values }, api) => {
      await open(api, positionals);
      const rowsOf = str(values, 'rows');
      if (rowsOf !== undefined) {
        if (values.map !== undefined) throw new UsageError('--rows 和 --map 不能同时使用');
        const colon = rowsOf.indexOf(':');
        const count = (name: 'offset' | 'limit') => {
          const raw = str(values, name);
          if (raw === undefined) return {};
          if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} 应为非负整数：${raw}`);
          return { [name]: Number(raw) };
        };
        const page = await api.call('ledgers.rows', {
          evidence: parseId(colon < 0 ? rowsOf : rowsOf.slice(0, colon)),
          ...(colon < 0 ? {} : { sheet: rowsOf.slice(colon + 1) }),
          ...count('offset'),
          ...count('limit'),
          ...(values.unmasked ? { unmasked: true } : {}),
        });
        return { data: page, text: () => format.describeLedgerRows(page) };
      }
      const target = str(values, 'map');
      if (target === undefined) {
        if (values.kind !== undefined || values.column !== undefined) throw new UsageError('--kind 和 --column 要与 --map 材料编号[:工作表] 一起使用');
        const rows = await api.call('ledgers.list', {});
        return { data: rows, text: () => format.describeLedgers(rows) };
      }
      const colon = target.indexOf(':');
      const evidence = parseId(colon < 0 ? target : target.slice(0, colon));
      const kind = str(values, 'kind');
      if (!kind) throw new UsageError('--map 需要 --kind 台账类型，例如 --kind transfer-employment');
      const columns = Object.fromEntries(parseAssignments(list(values, 'column'), '--column'));
      const rows = await api.call('ledgers.map', {
        evidence,
        ...(colon < 0 ? {} : { sheet: target.slice(colon + 1) }),
        kind,
        ...(Object.keys(columns).length ? { columns } : {}),
      });
      return { data: rows, text: () => format.describeLedgers(rows) };
    },
  },
  rectify: {
    help: [
      'rectify <工作区> list | add --text 问题 [--indicator 1.2] [--department 责任单位] [--due YYYY-MM-DD] [--source 省考核反馈]',
      '    | close <编号> --evidence <材料编号>… [--verify] | verify <编号> | import <整改清单.xlsx>   整改事项（问题清零）',
    ],
    options: { text: str1, indicator: str1, department: str1, due: str1, source: str1, evidence: many, verify: flag },
    run: async ({ positionals, values }, api) => {
      await open(api, positionals);
      const action = positionals[1] ?? 'list';
      const itemId = () => {
        const raw = need(positionals, 2, '整改事项编号');
        const id = Number(raw);
        if (!Number.isInteger(id) || id <= 0) throw new UsageError(`整改事项编号应为正整数：${raw}`);
        return id;
      };
      const one = (item: RectificationItem) => ({ data: item, text: () => format.describeRectification([item]) });
      switch (action) {
        case 'list': {
          const items = await api.call('rectification.list', {});
          return { data: items, text: () => format.describeRectification(items) };
        }
        case 'add': {
          const text = str(values, 'text');
          if (!text) throw new UsageError('缺少 --text 问题描述');
          const due = str(values, 'due');
          if (due !== undefined && !isIsoDate(due)) throw new UsageError('--due 应为日期，例如 2019-10-31');
          return one(
            await api.call('rectification.add', { text, indicator: str(values, 'indicator'), department: str(values, 'department'), due, source: str(values, 'source') }),
          );
        }
        case 'close': {
          const id = itemId();
          // `--evidence 12 15`, `--evidence 12,15` and `--evidence 12 --evidence 15` all work.
          const evidence = [...list(values, 'evidence').flatMap((v) => v.split(/[,，、]/)), ...positionals.slice(3)].filter(Boolean).map(parseId);
          return one(await api.call('rectification.close', { id, evidence, verify: Boolean(values.verify) }));
        }
        case 'verify':
          return one(await api.call('rectification.verify', { id: itemId() }));
        case 'import': {
          const result = await api.call('rectification.import', { path: path.resolve(need(positionals, 2, '整改清单文件（.xlsx 或 .csv）')) });
          return { data: result, text: () => format.describeRectificationImport(result) };
        }
        default:
          throw new UsageError(`未知的整改操作 ${action}（可用 list、add、close、verify、import）`);
      }
    },
  },
  review: {
    help: [
      'review <工作区> [list [--state pending|accepted|returned] [--department D] | accept <材料编号>… [--indicator 1.2 --requirement 1.2-1]',
      '    | return <材料编号>… --comment 原因]   审核部门报送的材料（通过后计入并装订；退回时写明原因）',
    ],
    options: { state: str1, department: str1, indicator: str1, requirement: str1, comment: str1 },
    run: async ({ positionals, values }, api) => {
      await open(api, positionals);
      const action = positionals[1] ?? 'list';
      const ids = () => {
        const raw = positionals.slice(2).flatMap((v) => v.split(/[,，、]/)).filter(Boolean);
        if (!raw.length) throw new UsageError('缺少材料编号');
        return raw.map(parseId);
      };
      const shown = (items: Evidence[]) => ({ data: items, text: () => format.describeReview(items) });
      switch (action) {
        case 'list': {
          const state = str(values, 'state');
          if (state !== undefined && !REVIEW_STATES.some((s) => s === state)) throw new UsageError(`--state 应为 ${REVIEW_STATES.join('、')} 之一`);
          const chosen = REVIEW_STATES.find((s) => s === state);
          return shown(await api.call('review.list', { ...(chosen ? { state: chosen } : {}), department: str(values, 'department') }));
        }
        case 'accept':
          return shown(await api.call('review.accept', { ids: ids(), indicator: str(values, 'indicator'), requirement: str(values, 'requirement') }));
        case 'return': {
          const comment = str(values, 'comment');
          if (!comment?.trim()) throw new UsageError('退回时请用 --comment 写明原因');
          return shown(await api.call('review.return', { ids: ids(), comment }));
        }
        default:
          throw new UsageError(`未知的审核操作 ${action}（可用 list、accept、return）`);
      }
    },
  },
  deadlines: {
    help: [
      'deadlines <工作区> [--set 部门=YYYY-MM-DD | --set 部门:1.1-1=YYYY-MM-DD]… [--clear 部门 | --clear 部门:1.1-1]…',
      '报送期限（按部门，或按部门的某项材料要求；逾期未报的计入问题清单）',
    ],
    options: { set: many, clear: many },
    run: async ({ positionals, values }, api) => {
      await open(api, positionals);
      const target = (key: string) => {
        const [department, requirement] = key.split(/[:：]/, 2).map((p) => p.trim());
        if (!department) throw new UsageError(`部门名不能为空：${key}`);
        return { department, ...(requirement ? { requirement } : {}) };
      };
      for (const [key, due] of parseAssignments(list(values, 'set'), '--set')) {
        if (!isIsoDate(due)) throw new UsageError(`--set ${key}=${due}：日期应写作 2019-10-31`);
        await api.call('deadlines.set', { ...target(key), due });
      }
      for (const key of list(values, 'clear')) await api.call('deadlines.set', { ...target(key), due: null });
      const all = await api.call('deadlines.list', {});
      return { data: all, text: () => format.describeDeadlines(all) };
    },
  },
  notices: {
    help: [
      'notices <工作区> --department D --format docx|xlsx [--contact "联系人 电话"] [--upload-address https://…]',
      '生成给该部门的催报通知（待报送材料、期限、报送方式），保存在工作区的“输出”文件夹',
    ],
    options: { department: str1, format: str1, contact: str1, 'upload-address': str1 },
    run: async ({ positionals, values }, api) => {
      await open(api, positionals);
      const department = departmentArg(values);
      const kind = str(values, 'format') ?? 'docx';
      if (kind !== 'docx' && kind !== 'xlsx') throw new UsageError('--format 应为 docx 或 xlsx');
      const file = await api.call('notices.export', { department, format: kind, contact: str(values, 'contact'), uploadAddress: str(values, 'upload-address') });
      return { data: file, text: () => `已生成催报通知：${file.path}` };
    },
  },
  kit: {
    help: [
      'kit <工作区> --department D [--out F.zip]   为不在网上的部门生成收集包（每项待交材料一个编号文件夹）',
      '交回后用 binder import <工作区> F.zip 导入：文件按文件夹归入对应材料要求，待审核',
    ],
    options: { department: str1, out: str1 },
    run: async ({ positionals, values }, api) => {
      await open(api, positionals);
      const department = departmentArg(values);
      const out = str(values, 'out');
      const kit = await api.call('kits.create', { department, ...(out ? { out: path.resolve(out) } : {}) });
      return { data: kit, text: () => `已为${kit.department}生成收集包（${kit.folders} 个文件夹，编号 ${kit.kitId.slice(0, 8)}）：${kit.path}` };
    },
  },
  audit: {
    help: ['audit <工作区> [--out F.xlsx]              导出操作审计日志（谁、何时、做了什么、改前 → 改后）'],
    options: { out: str1 },
    run: async ({ positionals, values }, api) => {
      await open(api, positionals);
      const file = await api.call('audit.export', {});
      const out = str(values, 'out');
      if (out) {
        copyFileSync(file.path, path.resolve(out));
        return { data: { ...file, path: path.resolve(out) }, text: () => `已导出审计日志：${path.resolve(out)}` };
      }
      return { data: file, text: () => `已导出审计日志：${file.path}` };
    },
  },
  reclassify: {
    help: ['reclassify <工作区>                 按已有的人工修正重新建议未确认材料的类型和指标'],
    run: async ({ positionals }, api) => {
      await open(api, positionals);
      const result = await api.call('evidence.reclassify', {});
      return { data: result, text: () => format.describeReclassify(result) };
    },
  },
  gaps: {
    help: ['gaps <工作区>                       缺漏与问题清单'],
    run: async ({ positionals }, api) => {
      const info = await open(api, positionals);
      const report = await api.call('gaps.get', {});
      return { data: report, text: () => format.describeGaps(report, info.framework) };
    },
  },
  build: {
    help: [
      'build <工作区> --out <目录> [--format pdf,docx,zip] [--edition submission|review] [--single-volume] [--duplex] [--stamp] [--compress-photos]',
      '[--max-pages N] [--max-mb N] [--font 字体文件]  （超过页数或大小时分为上/下册）',
      '[--no-mask]  报送版不遮盖身份证号、手机号（默认遮盖；不遮盖时会提示）',
      '[--rectification-ledger]  报送版也附整改台账（自查版总是附）',
    ],
    options: {
      out: str1,
      format: str1,
      'single-volume': flag,
      duplex: flag,
      stamp: flag,
      'compress-photos': flag,
      'no-mask': flag,
      'rectification-ledger': flag,
      'max-pages': str1,
      'max-mb': str1,
      font: str1,
      'generated-at': str1,
      edition: str1,
    },
    run: async ({ positionals, values, json }, api) => {
      await open(api, positionals);
      const outDir = str(values, 'out');
      if (!outDir) throw new UsageError('缺少 --out 输出目录');
      const formats = (str(values, 'format') ?? 'pdf,docx,zip').split(',').map((f) => f.trim()).filter(Boolean);
      const known = ['pdf', 'docx', 'zip'] as const;
      const chosen = formats.map((f) => {
        const found = known.find((k) => k === f);
        if (!found) throw new UsageError(`未知的输出格式 ${f}（可用 pdf、docx、zip）`);
        return found;
      });
      const edition = str(values, 'edition') ?? 'submission';
      if (edition !== 'submission' && edition !== 'review') throw new UsageError(`未知的版本 ${edition}（可用 submission 报送版、review 自查版）`);
      const rawDate = str(values, 'generated-at');
      if (rawDate !== undefined && Number.isNaN(Date.parse(rawDate))) throw new UsageError('--generated-at 应为 ISO 时间，例如 2019-12-20T09:00:00Z');
      // A full ISO time is passed as written (it is printed into the manifest); a bare date becomes midnight UTC.
      const generatedAt = rawDate === undefined || /T.*(Z|[+-]\d{2}:\d{2})$/.test(rawDate) ? rawDate : new Date(rawDate).toISOString();
      const { jobId } = await api.call('binder.build', {
        outDir: path.resolve(outDir),
        formats: chosen,
        edition,
        singleVolume: Boolean(values['single-volume']),
        duplex: Boolean(values.duplex),
        stamp: Boolean(values.stamp),
        compressPhotos: Boolean(values['compress-photos']),
        ...(values['no-mask'] ? { mask: false } : {}),
        ...(values['rectification-ledger'] ? { rectificationLedger: true } : {}),
        maxPagesPerVolume: positiveInt(values, 'max-pages', 20),
        maxMegabytesPerVolume: positiveInt(values, 'max-mb', 1),
        fontFile: str(values, 'font'),
        generatedAt,
      });
      const result = await api.wait('build', jobId, !json);
      return { data: result, text: () => format.describeBuild(result) };
    },
  },
  verify: {
    help: ['verify <提交包.zip>                 校验提交包的文件与校验码'],
    run: async ({ positionals }, api) => {
      const result = await api.call('package.verify', { path: need(positionals, 0, '提交包 zip 文件') });
      return { data: result, text: () => format.describeVerify(result), exitCode: result.ok ? 0 : 1 };
    },
  },
  demo: {
    help: ['demo <目录> [--force]               生成示例工作区（虚构的青山县 2019 年度）'],
    options: { force: flag },
    run: async ({ positionals, values }, api) => {
      const { info, import: report } = await api.call('demo.create', { dir: need(positionals, 0, '示例工作区目录'), force: Boolean(values.force) });
      const gaps = await api.call('gaps.get', {});
      return {
        data: { dir: info.dir, import: report, summary: gaps.summary },
        text: () => format.describeDemo(info.dir, report, gaps, info.framework),
      };
    },
  },
  serve: {
    help: [
      'serve [<工作区>] [--port N] [--demo] 在浏览器中打开工作台（仅本机 127.0.0.1）',
      'serve <工作区> --team [--host 0.0.0.0] [--port N] [--allow-host 名称]… [--tls-cert F --tls-key F | --tls-self-signed]',
      '团队服务器：各部门用账号登录（先用 binder users 添加管理员）；--host 0.0.0.0 供局域网访问',
    ],
    options: { port: str1, demo: flag, team: flag, host: str1, 'allow-host': many, 'tls-cert': str1, 'tls-key': str1, 'tls-self-signed': flag },
    // The browser host is a server, not a call: it runs its own handlers until Ctrl+C.
    run: async ({ positionals, values }) => {
      const port = str(values, 'port') ? Number(str(values, 'port')) : undefined;
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError('--port 应为 0–65535 的整数');
      const team = Boolean(values.team);
      const teamOnly = ['host', 'allow-host', 'tls-cert', 'tls-key', 'tls-self-signed'].filter((k) => values[k] !== undefined);
      if (!team && teamOnly.length) throw new UsageError(`--${teamOnly[0]} 只用于团队服务器（加 --team）`);
      if (team && values.demo) throw new UsageError('--demo 不能与 --team 同用：团队服务器须指定工作区');
      if (team && !positionals[0]) throw new UsageError('团队服务器须指定工作区：binder serve <工作区> --team');
      const [cert, key] = [str(values, 'tls-cert'), str(values, 'tls-key')];
      if (Boolean(cert) !== Boolean(key)) throw new UsageError('--tls-cert 和 --tls-key 须同时给出');
      if (cert && values['tls-self-signed']) throw new UsageError('--tls-self-signed 不能与 --tls-cert/--tls-key 同用');
      const { runServe } = await import('./serve.js');
      await runServe({
        workspace: positionals[0],
        port,
        demo: Boolean(values.demo),
        ...(team
          ? { team: { host: str(values, 'host'), allowHosts: list(values, 'allow-host'), tls: cert && key ? { cert, key } : values['tls-self-signed'] ? ('self-signed' as const) : undefined } }
          : {}),
      });
      return { data: null, text: () => '' };
    },
  },
  users: {
    help: [
      'users <工作区> list | add --name N --role admin|office|department|leader [--department D]… [--display-name 显示名] --password-stdin',
      '    | disable N | enable N | reset-password N --password-stdin     团队服务器的账号（密码只从标准输入读取）',
    ],
    options: { name: str1, role: str1, department: many, 'display-name': str1, 'password-stdin': flag },
    run: async ({ positionals, values }, api) => {
      await open(api, positionals);
      const action = need(positionals, 1, '操作（list、add、disable、enable、reset-password）');
      const one = (row: UserRow) => ({ data: row, text: () => format.describeUsers([row]) });
      switch (action) {
        case 'list': {
          const rows = await api.call('users.list', {});
          return { data: rows, text: () => format.describeUsers(rows) };
        }
        case 'add': {
          const role = str(values, 'role');
          if (!role || !(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role 应为 ${ROLES.join('、')} 之一`);
          const name = str(values, 'name');
          if (!name) throw new UsageError('缺少 --name');
          return one(
            await api.call('users.add', {
              name,
              role: role as Role,
              departments: list(values, 'department'),
              ...(str(values, 'display-name') ? { displayName: str(values, 'display-name') } : {}),
              password: await passwordFromStdin(values),
            }),
          );
        }
        case 'disable':
        case 'enable':
          return one(await api.call('users.update', { name: need(positionals, 2, '用户名'), disabled: action === 'disable' }));
        case 'reset-password':
          return one(await api.call('users.resetPassword', { name: need(positionals, 2, '用户名'), password: await passwordFromStdin(values) }));
        default:
          throw new UsageError(`未知的 users 操作：${action}（可用 list、add、disable、enable、reset-password）`);
      }
    },
  },
};

/** Passwords come only from standard input (never the command line, which other users and shell history see). */
async function passwordFromStdin(values: Options): Promise<string> {
  if (!values['password-stdin']) throw new UsageError('密码只从标准输入读取：请加 --password-stdin，例如 echo "密码" | binder users … --password-stdin');
  let password: string;
  if (process.stdin.isTTY) {
    // A person typing: nothing shown on the screen (nor left in the terminal's scrollback).
    process.stderr.write('请输入密码后按回车（输入时不显示）：');
    password = await readHiddenLine(process.stdin, process.stderr, () => new UsageError('已取消，未作修改。'));
  } else {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    password = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
  }
  if (!password) throw new UsageError('标准输入中没有密码。');
  return password;
}

async function linkOrUnlink(command: 'link' | 'unlink', { positionals, values }: Args, api: Api): Promise<format.Output> {
  await open(api, positionals);
  const id = parseId(need(positionals, 1, '材料编号'));
  const codes = positionals.slice(2);
  if (!codes.length) throw new UsageError('缺少指标编码，例如 1.2');
  let ev: Evidence | undefined;
  for (const indicator of codes) {
    [ev] =
      command === 'link'
        ? await api.call('evidence.link', { ids: [id], indicator, requirement: str(values, 'requirement') })
        : await api.call('evidence.unlink', { ids: [id], indicator });
  }
  return { data: ev, text: () => format.describeEvidence(ev ? [ev] : []) };
}

const HELP = `佐证材料汇编 binder ${VERSION} — 东西部协作考核佐证材料整理工具

用法 Usage: binder <命令> [参数] [--json]

${Object.values(COMMANDS)
  .map(({ help: [synopsis, ...more] }) => [`  ${synopsis}`, ...more.map((l) => (l.startsWith(' ') ? `  ${l}` : `                                      ${l}`))].join('\n'))
  .join('\n')}

每个命令都可加 --json 输出机器可读结果。退出码：0 完成，1 执行失败，2 用法错误。
`;

function parse(argv: string[], options: ParseArgsConfig['options']): Args {
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, ...options },
      allowPositionals: true,
      strict: true,
    });
    return { positionals, values, json: Boolean(values.json) };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * The contract as the CLI sees it: one session (one open workspace) per run, its own job registry. The backend is
 * loaded here, not at start: `binder --help` and `--version` (and a wrong command line) answer without it.
 */
async function createApi(): Promise<{ api: Api; close: () => void }> {
  const [{ dispatch }, { createHandlers }, { JobRegistry }, { appDataDir }] = await Promise.all([
    import('../backend/api/dispatch.js'),
    import('../backend/api/handlers.js'),
    import('../backend/api/jobs.js'),
    import('../backend/host/paths.js'),
  ]);
  const session: { workspace: Workspace | null } = { workspace: null };
  const jobs = new JobRegistry();
  const handlers = createHandlers({ session, jobs, host: 'cli', version: VERSION, demoDir: path.join(appDataDir(), 'demo'), stateDir: null });
  const api: Api = {
    async call(method, input) {
      const result = await dispatch(handlers, method, input);
      if (!result.ok) throw new AppError(result.error.code, result.error.message);
      // dispatch runs the handler typed for this method, so its data is OutputOf<M>.
      return result.data as OutputOf<typeof method>;
    },
    async wait(kind, jobId, progress) {
      const shown = format.progressWriter(kind, progress);
      const cancel = (): void => void api.call('jobs.cancel', { id: jobId });
      process.once('SIGINT', cancel);
      try {
        for (;;) {
          const job = await api.call('jobs.get', { id: jobId });
          shown.update(job.progress);
          if (job.state === 'running') {
            await new Promise((resolve) => setTimeout(resolve, 50));
            continue;
          }
          shown.end();
          // An import stopped with Ctrl+C reports what it stored before stopping (as the CLI always did).
          if (job.state === 'cancelled' && job.kind === kind && job.result) {
            process.stderr.write('已取消：以下是取消前已完成的部分，已保存在工作区中。\n');
            return job.result as JobResult<typeof kind>;
          }
          if (job.state === 'cancelled') throw new AppError('cancelled', '已取消。已经完成的部分保留在工作区中。');
          if (job.state === 'failed') throw new AppError(job.errorCode ?? 'internal', job.error ?? '任务失败。');
          if (job.kind !== kind || !job.result) throw new AppError('internal', `任务 ${jobId} 没有结果。`);
          // Narrowed to kind K above; TypeScript cannot carry that into JobResult<K>.
          return job.result as JobResult<typeof kind>;
        }
      } finally {
        process.off('SIGINT', cancel);
      }
    },
  };
  return { api, close: async () => session.workspace?.close() };
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(HELP);
    return command ? 0 : 2;
  }
  if (command === '--version' || command === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const spec = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!spec) throw new UsageError(`未知命令：${command}`);
  const args = parse(rest, spec.options ?? {});
  const { api, close } = await createApi();
  try {
    const output = await spec.run(args, api);
    if (command !== 'serve') format.print(args.json, output);
    return output.exitCode ?? 0;
  } finally {
    await close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  try {
    return await run(argv);
  } catch (error) {
    const usage = error instanceof UsageError;
    format.printError(json, toApiError(error), usage ? '运行 binder --help 查看用法。' : undefined);
    if (!(error instanceof AppError) && process.env.BINDER_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    return usage ? 2 : 1;
  }
}
