import { describe, expect, it } from 'vitest';
import { containsIdNumber, findPersonalData, isValidIdNumber, maskPersonalData, maskStrings } from '../../shared/privacy/mask.js';

describe('ID numbers (GB 11643, MOD 11-2)', () => {
  it('accepts real-shaped numbers with the right check character, X in either case', () => {
    expect(isValidIdNumber('621022199001011234')).toBe(true);
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('11010519491231002x')).toBe(true);
    expect(isValidIdNumber('621022200002290015')).toBe(true);
  });

  it('rejects a wrong check digit, an impossible birth date and a bad region', () => {
    expect(isValidIdNumber('621022199001011235')).toBe(false);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    // 2002 is no leap year: 0229 is no birth date even though the check character is right.
    expect(isValidIdNumber('62102220020229001X')).toBe(false);
    expect(isValidIdNumber('021022199001011234')).toBe(false);
  });
});

describe('maskPersonalData', () => {
  it('masks an ID as first 6 + ******** + last 4 and a mobile as 138****5678, next to Chinese text', () => {
    expect(maskPersonalData('张三身份证号621022199001011234，电话13812345678。')).toBe('张三身份证号621022********1234，电话138****5678。');
    expect(maskPersonalData('户主11010519491231002X')).toBe('户主110105********002X');
  });

  it('masks a 15-digit first-generation ID', () => {
    expect(maskPersonalData('旧证号：620102750315123')).toBe('旧证号：620102*****5123');
  });

  it('leaves numbers that are not IDs or mobiles alone', () => {
    const untouched = [
      '身份证号621022199001011235（校验码错误）',
      '账号62284800123456789012',
      '信用代码91120104MA05K8XX1X',
      '固定电话0931-8123456',
      '12345678901',
      '金额13812345678901元',
      '单号A13812345678',
      '文号津南政发〔2019〕12号',
    ];
    for (const text of untouched) expect(maskPersonalData(text)).toBe(text);
  });

  it('keeps the length of the text, so masked positions map back to pieces', () => {
    const text = '电话：13912345678；身份证：621022198507153315';
    const masked = maskPersonalData(text);
    expect(masked).toHaveLength(text.length);
    expect(findPersonalData(text).map((m) => m.kind)).toEqual(['mobile', 'id']);
    expect(containsIdNumber(masked)).toBe(false);
    expect(containsIdNumber(text)).toBe(true);
  });

  it('masks every string of a plan-like object except the keys kept', () => {
    const plan = { sha256: '13812345678', items: [{ title: '花名册（13812345678）', pages: 3 }], when: null };
    expect(maskStrings(plan, new Set(['sha256']))).toEqual({ sha256: '13812345678', items: [{ title: '花名册（138****5678）', pages: 3 }], when: null });
  });
});
