import { useMemo, useState, type FormEvent } from 'react';
import { listIndicators } from '../../shared/framework/schema.js';
import { ROLES, ROLE_NAME, type Role } from '../../shared/team/roles.js';
import { useAction, useQuery } from '../api/hooks.js';
import { useWorkspaceData } from '../data.js';
import { useI18n } from '../i18n.js';

/** The departments named in the framework (牵头单位), in the order they first appear. */
export function useFrameworkDepartments(): string[] {
  const data = useWorkspaceData();
  return useMemo(() => [...new Set(listIndicators(data.info.framework).map((e) => e.indicator.department).filter((d): d is string => !!d))], [data.info.framework]);
}

/**
 * 账号 (administrator): the team's accounts — add one with its role and, for a department, the units it works for;
 * disable, enable, set a new password. Passwords are typed here once and never shown again.
 */
export function AccountsScreen() {
  const { t, lang } = useI18n();
  const act = useAction();
  const users = useQuery('users.list', {}, ['session']);
  const departments = useFrameworkDepartments();
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('department');
  const [units, setUnits] = useState<string[]>([]);
  const [password, setPassword] = useState('');
  const [resetFor, setResetFor] = useState<string | null>(null);
  const [newPassword, setNewPassword] = useState('');

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const added = await act(
      'users.add',
      { name: name.trim(), ...(displayName.trim() ? { displayName: displayName.trim() } : {}), role, departments: role === 'department' ? units : [], password },
      { success: t('已添加账号 {name}。', { name: name.trim() }) },
    );
    if (added) {
      setName('');
      setDisplayName('');
      setPassword('');
      setUnits([]);
      users.reload();
    }
  };
  const setDisabled = async (user: string, disabled: boolean) => {
    if (await act('users.update', { name: user, disabled })) users.reload();
  };
  const reset = async (user: string) => {
    if (await act('users.resetPassword', { name: user, password: newPassword }, { success: t('已为 {name} 设置新密码。', { name: user }) })) {
      setResetFor(null);
      setNewPassword('');
      users.reload();
    }
  };

  return (
    <div className="accounts-screen">
      <section className="card">
        <h2>{t('账号')}</h2>
        {users.error && <p className="bad-text">{users.error}</p>}
        <table className="plain accounts-table">
          <thead>
            <tr>
              <th>{t('用户名')}</th>
              <th>{t('姓名')}</th>
              <th>{t('角色')}</th>
              <th>{t('单位')}</th>
              <th>{t('状态')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(users.data ?? []).map((u) => (
              <tr key={u.name} data-user={u.name}>
                <td>{u.name}</td>
                <td>{u.displayName ?? ''}</td>
                <td>{ROLE_NAME[u.role][lang]}</td>
                <td className="cut" title={u.departments.join('、')}>
                  {u.departments.join('、')}
                </td>
                <td>{u.disabled ? <span className="bad-text">{t('已停用')}</span> : u.lockedUntil && u.lockedUntil > new Date().toISOString() ? <span className="bad-text">{t('已锁定')}</span> : t('正常')}</td>
                <td className="row-actions">
                  <button type="button" className="link" onClick={() => void setDisabled(u.name, !u.disabled)}>
                    {u.disabled ? t('启用') : t('停用')}
                  </button>
                  {resetFor === u.name ? (
                    <span className="inline">
                      <input type="password" name="new-password" aria-label={t('新密码')} autoComplete="new-password" value={newPassword} onChange={(e) => setNewPassword(e.target.value)} />
                      <button type="button" disabled={newPassword.length < 8} onClick={() => void reset(u.name)}>
                        {t('保存')}
                      </button>
                    </span>
                  ) : (
                    <button type="button" className="link" onClick={() => setResetFor(u.name)}>
                      {t('重置密码')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <form className="card account-form" onSubmit={(e) => void add(e)} aria-label={t('添加账号')}>
        <h2>{t('添加账号')}</h2>
        <label>
          {t('用户名')}
          <input name="new-user" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        </label>
        <label>
          {t('姓名')}
          <input name="display-name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </label>
        <label>
          {t('角色')}
          <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_NAME[r][lang]}
              </option>
            ))}
          </select>
        </label>
        {role === 'department' && (
          <fieldset className="units">
            <legend>{t('负责单位')}</legend>
            {departments.map((d) => (
              <label key={d} className="inline">
                <input type="checkbox" checked={units.includes(d)} onChange={(e) => setUnits((prev) => (e.target.checked ? [...prev, d] : prev.filter((x) => x !== d)))} />
                {d}
              </label>
            ))}
          </fieldset>
        )}
        <label>
          {t('初始密码（至少 8 位）')}
          <input name="password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <button type="submit" className="primary" disabled={!name.trim() || password.length < 8 || (role === 'department' && units.length === 0)}>
          {t('添加')}
        </button>
      </form>
    </div>
  );
}
