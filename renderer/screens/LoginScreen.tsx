import { useState, type FormEvent } from 'react';
import { invalidate, useApi } from '../api/hooks.js';
import { errorMessage } from '../api/client.js';
import { useI18n } from '../i18n.js';

/**
 * 登录 on a team server: name and password; the server sets an HttpOnly session cookie, so nothing secret is kept by
 * the page. A wrong password, a locked or disabled account get the server's own sentence.
 */
export function LoginScreen() {
  const { t, lang, setLang } = useI18n();
  const api = useApi();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!api.auth) return;
    if (!name.trim() || !password) return setError(t('请填写用户名和密码。'));
    setBusy(true);
    setError(null);
    try {
      await api.auth.login(name.trim(), password);
      setPassword('');
      invalidate('session');
    } catch (err) {
      setError(errorMessage(err, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="center-page">
      <form className="card login" onSubmit={(e) => void submit(e)} aria-label={t('登录')}>
        <h1>{t('佐证材料汇编')}</h1>
        <p className="muted">{t('团队服务器：请用协作办分配的账号登录。')}</p>
        <label>
          {t('用户名')}
          <input name="username" autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        </label>
        <label>
          {t('密码')}
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && (
          <p className="bad-text" role="alert">
            {error}
          </p>
        )}
        <div className="login-actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('正在登录…') : t('登录')}
          </button>
          <button type="button" className="link" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
            {lang === 'zh' ? 'English' : '中文'}
          </button>
        </div>
      </form>
    </div>
  );
}
