/**
 * OCR misreadings inside a 成文日期 (issue 8: 日期 accuracy on scans). Each repair is checked through the date the
 * extraction then finds, and against ordinary text that looks similar and must stay as it is.
 */
import { describe, expect, it } from 'vitest';
import { normaliseOcrText, repairFutureYear } from '../../electron/backend/ocr/normalise.js';
import { findDatesInText } from '../../shared/extract/dates.js';

const dateOf = (ocr: string) => findDatesInText(normaliseOcrText(ocr)).map((d) => d.iso);

describe('OCR date repairs', () => {
  it('reads l, I and | as 1 and O, o, D as 0 inside an Arabic date', () => {
    expect(dateOf('2O19年l2月3O日')).toEqual(['2019-12-30']);
    expect(dateOf('20l9年I月|5日')).toEqual(['2019-01-15']);
    expect(dateOf('2D21年3月7日')).toEqual(['2021-03-07']);
  });

  it('puts back 日 read as 曰, 目 or 臼 at the end of a date', () => {
    expect(dateOf('青山县人民政府办公室\n2019年7月25曰')).toEqual(['2019-07-25']);
    expect(dateOf('二〇一九年七月二十五目')).toEqual(['2019-07-25']);
    expect(dateOf('2020年3月9臼')).toEqual(['2020-03-09']);
  });

  it('puts back 年 read as 午 or 车 and 月 read as 用 when the rest is a date', () => {
    expect(dateOf('2019午7月25日')).toEqual(['2019-07-25']);
    expect(dateOf('二〇二〇车五用九日')).toEqual(['2020-05-09']);
  });

  it('joins digits OCR split with a space', () => {
    expect(dateOf('20 19年3月5日')).toEqual(['2019-03-05']);
    expect(dateOf('2019年3月2 8日')).toEqual(['2019-03-28']);
  });

  it('combines with the 〇 repair of a Chinese-numeral year', () => {
    expect(dateOf('二0一九年十二月三曰')).toEqual(['2019-12-03']);
  });

  it('leaves text that only resembles a date alone', () => {
    for (const text of ['2019年3月5目标任务完成', '第20 19条', '下午3用车', 'Io年l月', '2019年度工作要点']) {
      expect(normaliseOcrText(text)).toBe(text);
    }
  });
});

describe('a 成文日期 OCR put in the future', () => {
  it('takes the 文号 year when the read year differs from it in one digit', () => {
    expect(repairFutureYear('2032-01-12', '安组任〔2022〕42号', '2026-12-01')).toBe('2022-01-12');
    expect(repairFutureYear('2029-07', '青振发〔2021〕3号', '2026-12-01')).toBe('2021-07');
  });

  it('leaves dates that are not in the future, dates without a 文号, and years that differ in more than one digit', () => {
    expect(repairFutureYear('2022-01-03', '安组任〔2021〕42号', '2026-12-01')).toBe('2022-01-03');
    expect(repairFutureYear('2032-01-12', undefined, '2026-12-01')).toBe('2032-01-12');
    expect(repairFutureYear('2031-01-12', '安组任〔2022〕42号', '2026-12-01')).toBe('2031-01-12');
  });
});
