import { describe, expect, it } from 'vitest';
import { JobRegistry } from '../../electron/backend/api/jobs.js';
import type { BuildResult } from '../../shared/api/contract.js';
import type { ImportReport } from '../../shared/domain/intake.js';
import { AppError } from '../../shared/errors.js';

const report: ImportReport = { imported: [], duplicates: [], rejected: [{ source: 'a.pdf', reason: '文件是空的' }], ignored: [] };
const built: BuildResult = {
  edition: 'submission',
  outputs: [],
  warnings: [{ volume: null, item: null, kind: 'unfiled', message: '有 1 件材料未归入任何指标，未装订。' }],
  fonts: [],
};

describe('JobRegistry', () => {
  it('returns each job with its kind and that kind’s result, so callers narrow on kind instead of casting', async () => {
    const jobs = new JobRegistry();
    const importJob = await jobs.wait(jobs.start('import', async () => report));
    const buildJob = await jobs.wait(jobs.start('build', async () => built));
    expect(importJob.state).toBe('done');
    expect(importJob.kind === 'import' ? importJob.result?.rejected[0].reason : null).toBe('文件是空的');
    expect(buildJob.kind === 'build' ? buildJob.result?.warnings : null).toEqual(built.warnings);
  });

  it('keeps the code of an AppError that fails a job, reports anything else as internal, and a cancel as cancelled', async () => {
    const jobs = new JobRegistry();
    const failed = await jobs.wait(
      jobs.start('build', async () => {
        throw new AppError('not-found', '找不到所选字体文件：x.ttf。');
      }),
    );
    expect(failed).toMatchObject({ state: 'failed', error: '找不到所选字体文件：x.ttf。', errorCode: 'not-found' });

    const crashed = await jobs.wait(
      jobs.start('import', async () => {
        throw new Error('disk full');
      }),
    );
    expect(crashed).toMatchObject({ state: 'failed', error: 'disk full', errorCode: 'internal' });

    const id = jobs.start(
      'import',
      (_progress, signal) =>
        new Promise<ImportReport>((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
    );
    expect(jobs.cancel(id)).toBe(true);
    expect(await jobs.wait(id)).toMatchObject({ state: 'cancelled', error: '已取消', errorCode: 'cancelled' });
  });
});
