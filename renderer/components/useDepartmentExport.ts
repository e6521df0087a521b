import { useCallback, useState } from 'react';
import { getBridge } from '../api/bridge.js';
import { useAction, useNotify } from '../api/hooks.js';
import { useI18n } from '../i18n.js';

/** Hands a file the backend wrote to the user: opened with the desktop app, downloaded in the browser. */
export async function handOver(result: { path: string; url: string }): Promise<void> {
  const bridge = getBridge();
  if (bridge) {
    await bridge.openPath(result.path);
    return;
  }
  const a = document.createElement('a');
  a.href = result.url;
  a.download = result.path.split(/[\\/]/).pop() ?? '';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/**
 * Exports one department's open items as an Excel list (`departments.export`) and hands it over. `exporting` names
 * the department being exported.
 */
export function useDepartmentExport() {
  const { t } = useI18n();
  const act = useAction();
  const notify = useNotify();
  const [exporting, setExporting] = useState<string | null>(null);
  const exportDepartment = useCallback(
    async (department: string) => {
      setExporting(department);
      const result = await act('departments.export', { department });
      setExporting(null);
      if (!result) return;
      await handOver(result);
      notify('success', t('已导出：{path}', { path: result.path }));
    },
    [act, notify, t],
  );
  return { exporting, exportDepartment };
}
