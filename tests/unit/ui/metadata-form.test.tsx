// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Evidence } from '../../../shared/domain/types.js';
import { MetadataForm, buildPatch, isValidDate, normalizeDate, valuesFrom, type EvidencePatch } from '../../../renderer/components/MetadataForm.js';

const photo: Evidence = {
  id: 12,
  sha256: 'a'.repeat(64),
  size: 1000,
  originalName: 'IMG_0001.jpg',
  source: '材料/照片/IMG_0001.jpg',
  format: 'jpeg',
  type: 'photo',
  typeOrigin: 'suggested',
  typeConfidence: 0.9,
  title: '[挂职干部座谈会照片]',
  date: '2019-05-06',
  dateOrigin: 'exif',
  readability: 'ok',
  caption: { subject: '挂职干部座谈会' },
  links: [],
  importedAt: '2019-06-01T00:00:00Z',
  updatedAt: '2019-06-01T00:00:00Z',
};

afterEach(cleanup);

describe('metadata form', () => {
  it('checks dates as real calendar dates and accepts common office spellings', () => {
    expect(isValidDate('2019-02-28')).toBe(true);
    expect(isValidDate('2019-02-30')).toBe(false);
    expect(isValidDate('2019-3-5')).toBe(false);
    expect(normalizeDate('2019.3.5')).toBe('2019-03-05');
    expect(normalizeDate('2019年3月5日')).toBe('2019-03-05');
    expect(normalizeDate('20190305')).toBe('2019-03-05');
  });

  it('builds a patch with only the changed fields', () => {
    const values = valuesFrom(photo);
    values.docNumber = ' 某政办发〔2019〕12号 ';
    values.caption.place = '县委党校';
    values.caption.time = '2019/5/6';
    const { patch, errors } = buildPatch(photo, values);
    expect(errors).toEqual({});
    expect(patch).toEqual({ docNumber: '某政办发〔2019〕12号', caption: { place: '县委党校', time: '2019-05-06' } });
  });

  it('refuses an impossible date with a Chinese reason and does not save', async () => {
    const onSave = vi.fn(async (_patch: EvidencePatch) => true);
    render(<MetadataForm evidence={photo} onSave={onSave} />);
    fireEvent.change(screen.getByLabelText('日期'), { target: { value: '2019-02-30' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findByText('日期应为 YYYY-MM-DD，例如 2019-03-15（只知月份时写 2019-03）。')).toBeTruthy();
    expect(onSave).not.toHaveBeenCalled();
    expect(screen.getByLabelText('日期').getAttribute('aria-invalid')).toBe('true');
  });

  it('keeps a date typed as a month only with month precision', async () => {
    const onSave = vi.fn(async (_patch: EvidencePatch) => true);
    render(<MetadataForm evidence={photo} onSave={onSave} />);
    fireEvent.change(screen.getByLabelText('日期'), { target: { value: '2019年12月' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    await vi.waitFor(() => expect(onSave).toHaveBeenCalled());
    expect(onSave.mock.calls[0][0].date).toBe('2019-12');
  });

  it('sends the caption fields (六要素) of a photo as the patch', async () => {
    const onSave = vi.fn(async (_patch: EvidencePatch) => true);
    render(<MetadataForm evidence={photo} onSave={onSave} />);
    fireEvent.change(screen.getByLabelText('地点'), { target: { value: '县委党校三楼会议室' } });
    fireEvent.change(screen.getByLabelText('人物（含职务）'), { target: { value: '张三（县委常委、副县长，挂职）' } });
    fireEvent.change(screen.getByLabelText('摄影者'), { target: { value: '李四' } });
    fireEvent.change(screen.getByLabelText('时间'), { target: { value: '2019-05-06' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    expect(onSave.mock.calls[0][0]).toEqual({
      caption: { place: '县委党校三楼会议室', people: '张三（县委常委、副县长，挂职）', photographer: '李四', time: '2019-05-06' },
    });
    expect(await screen.findByText('已保存。')).toBeTruthy();
  });

  it('does not let the title be emptied', async () => {
    const onSave = vi.fn(async (_patch: EvidencePatch) => true);
    render(<MetadataForm evidence={{ ...photo, type: 'official-document' }} onSave={onSave} />);
    expect(screen.queryByLabelText('摄影者')).toBeNull();
    fireEvent.change(screen.getByLabelText('题名'), { target: { value: '  ' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findByText('题名不能为空。')).toBeTruthy();
    expect(onSave).not.toHaveBeenCalled();
  });
});
