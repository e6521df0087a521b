import type { Evidence, EvidenceLink, Framework, TargetValue, WorkspaceSettings } from '../../../shared/domain/types.js';
import { analyzeGaps } from '../../../shared/gaps/analyze.js';

/** A small framework shaped like east-west-2017, inline so the tests do not depend on the templates. */
export function makeFramework(): Framework {
  return {
    id: 'test-fw',
    title: '测试框架',
    categories: [
      {
        code: '1',
        title: '组织领导',
        indicators: [
          {
            code: '1.1',
            title: '党委政府研究部署',
            department: '县协作办',
            requirements: [
              { id: '1.1-1', title: '党委政府专题研究会议纪要', type: 'minutes', min: 1, period: 'once', mandatory: true, keywords: ['常委会', '常务会'] },
              { id: '1.1-2', title: '年度工作要点', type: 'plan', min: 1, period: 'once', mandatory: false },
            ],
            targets: [],
          },
          {
            code: '1.2',
            title: '领导小组及工作机制',
            department: '县协作办',
            requirements: [
              { id: '1.2-1', title: '领导小组成立文件', type: 'official-document', min: 1, period: 'once', mandatory: true },
              { id: '1.2-2', title: '领导小组会议纪要', type: 'minutes', min: 1, period: 'monthly', mandatory: true, keywords: ['领导小组'] },
              { id: '1.2-3', title: '工作机制会议纪要', type: 'minutes', min: 1, period: 'once', mandatory: false, keywords: ['联席'] },
            ],
            targets: [],
          },
          {
            code: '1.3',
            title: '高层互访与对接',
            department: '县协作办',
            requirements: [
              { id: '1.3-1', title: '互访影像图片', type: 'photo', min: 4, period: 'per-event', mandatory: true },
              { id: '1.3-2', title: '对接函件', type: 'letter', min: 1, period: 'once', mandatory: true },
            ],
            targets: [],
          },
        ],
      },
      {
        code: '2',
        title: '人才交流',
        indicators: [
          {
            code: '2.1',
            title: '党政干部挂职',
            department: '县委组织部',
            requirements: [{ id: '2.1-1', title: '挂职干部任职文件', type: 'appointment', min: 1, period: 'once', mandatory: true }],
            targets: [{ id: '2.1-t1', label: '选派党政挂职干部', unit: '人', comparison: '>=', value: null }],
          },
        ],
      },
      {
        code: '5',
        title: '劳务协作',
        indicators: [
          {
            code: '5.2',
            title: '转移就业',
            department: '县人社局',
            requirements: [
              { id: '5.2-1', title: '转移就业台账', type: 'ledger', accepts: ['roster'], min: 1, period: 'yearly', mandatory: true },
              { id: '5.2-2', title: '季度就业统计', type: 'report', min: 1, period: 'quarterly', mandatory: false },
            ],
            targets: [
              { id: '5.2-t', label: '转移就业', unit: '人', comparison: '>=', value: null, parts: ['5.2-t1', '5.2-t2', '5.2-t3'], subtotals: ['5.2-t4'] },
              { id: '5.2-t1', label: '到结对东部就业', unit: '人', comparison: '>=', value: null },
              { id: '5.2-t2', label: '省内就近就业', unit: '人', comparison: '>=', value: null },
              { id: '5.2-t3', label: '其他地区就业', unit: '人', comparison: '>=', value: null },
              { id: '5.2-t4', label: '其中脱贫人口', unit: '人', comparison: '>=', value: null },
              { id: '5.2-t5', label: '消费扶贫金额', unit: '万元', comparison: '>=', value: 5000 },
            ],
          },
        ],
      },
      {
        code: '8',
        title: '创新工作（加分）',
        bonus: true,
        indicators: [
          {
            code: '8.1',
            title: '向深度贫困地区倾斜',
            department: '县协作办',
            requirements: [{ id: '8.1-1', title: '倾斜支持材料', type: 'report', min: 1, period: 'once', mandatory: false }],
            targets: [],
          },
        ],
      },
      {
        code: '9',
        title: '负面清单',
        negative: true,
        indicators: [
          {
            code: '9.1',
            title: '未完成协议指标',
            department: '县协作办',
            requirements: [{ id: '9.1-1', title: '情况说明', type: 'report', min: 1, period: 'once', mandatory: true }],
            targets: [],
          },
        ],
      },
    ],
  };
}

export const SETTINGS: WorkspaceSettings = {
  title: '2019年度东西部扶贫协作考核佐证材料',
  unit: '某县扶贫协作办公室',
  periodStart: '2019-01-01',
  periodEnd: '2019-12-31',
  frameworkId: 'test-fw',
};

export function link(indicator: string, requirement?: string, origin: EvidenceLink['origin'] = 'user'): EvidenceLink {
  return { indicator, ...(requirement ? { requirement } : {}), origin, confidence: origin === 'user' ? 1 : 0.8 };
}

/** A readable, fully catalogued item; override what the test is about. */
export function makeEvidence(id: number, fields: Partial<Evidence> = {}): Evidence {
  return {
    id,
    sha256: id.toString(16).padStart(64, '0'),
    size: 1000,
    originalName: `file-${id}.pdf`,
    source: `D:/材料/file-${id}.pdf`,
    format: 'pdf',
    type: 'other',
    typeOrigin: 'user',
    typeConfidence: 1,
    title: `材料${id}`,
    issuer: '某县人民政府',
    date: '2019-06-01',
    readability: 'ok',
    links: [],
    importedAt: '2019-12-01T08:00:00',
    updatedAt: '2019-12-01T08:00:00',
    ...fields,
  };
}

/** Twelve monthly leading-group minutes except the months given. */
export function monthlyMinutes(firstId: number, skipMonths: number[] = []): Evidence[] {
  const items: Evidence[] = [];
  for (let m = 1; m <= 12; m++) {
    if (skipMonths.includes(m)) continue;
    const mm = String(m).padStart(2, '0');
    items.push(
      makeEvidence(firstId + m, {
        type: 'minutes',
        title: `县东西部扶贫协作领导小组${m}月会议纪要`,
        date: `2019-${mm}-15`,
        links: [link('1.2')],
      }),
    );
  }
  return items;
}

export function analyze(evidence: Evidence[], targets: TargetValue[] = [], settings: WorkspaceSettings = SETTINGS) {
  return analyzeGaps({ framework: makeFramework(), settings, evidence, targets });
}
