import { useEffect, useState } from 'react';
import { formatWarning } from '../../shared/binder/warnings.js';
import type { OutputFile, SessionState } from '../../shared/api/contract.js';
import { getBridge, type Bridge } from '../api/bridge.js';
import { errorMessage } from '../api/client.js';
import { invalidate, useApi, useJob, useQuery } from '../api/hooks.js';
import { Progress, Section, formatBytes } from '../components/common.js';
import { useWorkspaceData } from '../data.js';
import { useI18n, type MessageKey } from '../i18n.js';

type Format = 'pdf' | 'docx' | 'zip';
const FORMAT_LABEL: Record<Format, MessageKey> = { pdf: 'PDF 装订册', docx: 'DOCX 汇编', zip: '提交包（zip）' };

/**
 * The build this window started last: a tab switch unmounts the screen, and coming back must show the same
 * progress or result, not an empty page (the backend keeps finished jobs for ten minutes).
 */
let followedBuild: string | null = null;

/** Open / download (browser) or open / show in folder (desktop) for one output file. */
function OutputActions({ path, file, bridge }: { path: string; file: OutputFile | undefined; bridge: Bridge | undefined }) {
  const { t } = useI18n();
  if (bridge) {
    return (
      <>
        <button type="button" onClick={() => void bridge.openPath(path)}>
          {t('打开')}
        </button>
        <button type="button" onClick={() => void bridge.showInFolder(path)}>
          {t('在文件夹中显示')}
        </button>
      </>
    );
  }
  if (!file) return null;
  return (
    <>
      <a className="button" href={file.url} target="_blank" rel="noopener noreferrer">
        {t('打开')}
      </a>
      <a className="button" href={`${file.url}&download=1`} download={file.name}>
        {t('下载')}
      </a>
    </>
  );
}

/** `reviewOnly` (a 领导 account on a team server): only the 自查版, and no submission package. */
export function BuildScreen({ host, reviewOnly = false }: { host: SessionState['host']; reviewOnly?: boolean }) {
  const { t, lang } = useI18n();
  const api = useApi();
  const { gaps } = useWorkspaceData();
  const [formats, setFormats] = useState<Set<Format>>(new Set(['pdf']));
  const [singleVolume, setSingle] = useState(false);
  const [duplex, setDuplex] = useState(true);
  const [stamp, setStamp] = useState(true);
  const [compressPhotos, setCompressPhotos] = useState(false);
  const [edition, setEdition] = useState<'submission' | 'review'>(reviewOnly ? 'review' : 'submission');
  /** Split volumes thicker than this many pages (empty: never). */
  const [maxPages, setMaxPages] = useState('');
  const [startError, setStartError] = useState<string | null>(null);
  const job = useJob(() => invalidate('outputs'));
  const running = job.job?.state === 'running';
  const bridge = host === 'electron' ? getBridge() : undefined;
  const outputs = useQuery('binder.outputs', {}, ['outputs']);
  const byPath = new Map((outputs.data ?? []).map((o) => [o.path, o]));
  const { follow } = job;
  useEffect(() => {
    if (followedBuild) follow(followedBuild);
  }, [follow]);

  const start = async () => {
    setStartError(null);
    job.reset();
    try {
      const { jobId } = await api.call('binder.build', {
        formats: [...formats].filter((f) => !reviewOnly || f !== 'zip'),
        edition,
        singleVolume,
        duplex,
        stamp,
        compressPhotos,
        ...(Number(maxPages) >= 20 ? { maxPagesPerVolume: Math.floor(Number(maxPages)) } : {}),
      });
      followedBuild = jobId;
      job.follow(jobId);
    } catch (err) {
      setStartError(errorMessage(err, lang));
    }
  };
  const toggle = (f: Format) => {
    const next = new Set(formats);
    if (next.has(f)) next.delete(f);
    else next.add(f);
    setFormats(next);
  };
  const result = job.job?.state === 'done' && job.job.kind === 'build' ? (job.job.result ?? null) : null;

  return (
    <div className="build-screen">
      <Section title={t('生成迎检材料')}>
        {gaps && gaps.summary.counts.error > 0 && <p className="warn-text">{t('还有 {n} 个错误未解决；仍可生成，缺失之处会在目录和备考表中注明。', { n: gaps.summary.counts.error })}</p>}
        <fieldset className="options">
          <legend>{t('输出')}</legend>
          {(['pdf', 'docx', 'zip'] as const).map((f) => (
            <label key={f} className="inline">
              <input type="checkbox" checked={formats.has(f) && !(reviewOnly && f === 'zip')} disabled={reviewOnly && f === 'zip'} onChange={() => toggle(f)} name={`format-${f}`} />
              {t(FORMAT_LABEL[f])}
            </label>
          ))}
        </fieldset>
        <fieldset className="options">
          <legend>{t('装订版本')}</legend>
          <label className="inline">
            <input type="radio" name="edition" checked={edition === 'submission'} disabled={reviewOnly} onChange={() => setEdition('submission')} />
            {t('报送版（交检查组：只含已确认、考核期内的材料，不含自查问题）')}
          </label>
          <label className="inline">
            <input type="radio" name="edition" checked={edition === 'review'} onChange={() => setEdition('review')} />
            {t('自查版（本单位自查：含问题清单和完整度）')}
          </label>
        </fieldset>
        <fieldset className="options">
          <legend>{t('选项')}</legend>
          <label className="inline">
            <input type="checkbox" checked={singleVolume} onChange={(e) => setSingle(e.target.checked)} />
            {t('单卷（不按类别分册）')}
          </label>
          <label className="inline">
            <input type="checkbox" checked={duplex} onChange={(e) => setDuplex(e.target.checked)} />
            {t('双面打印页码（奇数页在右、偶数页在左）')}
          </label>
          <label className="inline">
            <input type="checkbox" checked={stamp} onChange={(e) => setStamp(e.target.checked)} />
            {t('加盖归档章')}
          </label>
          <label className="inline">
            <input type="checkbox" checked={compressPhotos} onChange={(e) => setCompressPhotos(e.target.checked)} />
            {t('压缩照片（文件更小，适合拷贝和传输）')}
          </label>
          <label className="inline">
            {t('每卷超过')}
            <input
              type="number"
              min={20}
              step={10}
              className="narrow"
              value={maxPages}
              placeholder="—"
              onChange={(e) => setMaxPages(e.target.value)}
              aria-label={t('每卷最多页数')}
            />
            {t('页时分为上、下册')}
          </label>
        </fieldset>
        <button type="button" className="primary" disabled={running || formats.size === 0} onClick={() => void start()}>
          {running ? t('正在生成…') : t('开始生成')}
        </button>
        {startError && (
          <p className="error-text" role="alert">
            {startError}
          </p>
        )}
        {job.error && (
          <p className="error-text" role="alert">
            {job.error}
          </p>
        )}
      </Section>
      {job.job && (
        <Section title={t('进度')}>
          {/* A 领导 account cannot cancel a build (the server refuses it): no button that only says so. */}
          {running && <Progress {...job.job.progress} {...(reviewOnly ? {} : { onCancel: () => void job.cancel() })} />}
          {job.job.state === 'failed' && (
            <p className="error-text" role="alert">
              {t('生成失败：{e}', { e: job.job.error ?? '' })}
            </p>
          )}
          {job.job.state === 'cancelled' && <p className="muted">{t('已取消生成。')}</p>}
          {result && (
            <div className="build-result" data-testid="build-result">
              <p className="ok-text">{t('生成完成。')}</p>
              <table className="plain">
                <thead>
                  <tr>
                    <th>{t('文件')}</th>
                    <th className="num">{t('页数')}</th>
                    <th className="num">{t('大小')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {result.outputs.map((o) => (
                    <tr key={o.path}>
                      <td className="path" data-testid={`output-${o.format}`}>
                        {o.path}
                      </td>
                      <td className="num">{o.pages ?? '—'}</td>
                      <td className="num">{formatBytes(o.bytes)}</td>
                      <td className="actions nowrap">
                        <OutputActions path={o.path} file={byPath.get(o.path)} bridge={bridge} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {result.fonts.length > 0 && (
                <p className="muted small">
                  {t('使用的字体')}：{result.fonts.join('、')}
                </p>
              )}
              {result.warnings.length > 0 && (
                <>
                  <h3>{t('注意')}</h3>
                  <ul className="warnings">
                    {result.warnings.map((w, i) => (
                      <li key={i} className="warn-text">
                        {formatWarning(w, lang)}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </div>
          )}
        </Section>
      )}
      <Section title={t('已生成的文件')}>
        {outputs.error && <p className="error-text">{outputs.error}</p>}
        {outputs.data?.length === 0 && <p className="muted">{t('输出文件夹中还没有生成的文件。')}</p>}
        {!!outputs.data?.length && (
          <table className="plain" data-testid="earlier-outputs">
            <thead>
              <tr>
                <th>{t('文件')}</th>
                <th>{t('生成时间')}</th>
                <th className="num">{t('大小')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {outputs.data.map((o) => (
                <tr key={o.path}>
                  <td className="path" title={o.path}>
                    {o.name}
                  </td>
                  <td className="nowrap">{o.modified.replace('T', ' ').slice(0, 16)}</td>
                  <td className="num">{formatBytes(o.bytes)}</td>
                  <td className="actions nowrap">
                    <OutputActions path={o.path} file={o} bridge={bridge} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </div>
  );
}
