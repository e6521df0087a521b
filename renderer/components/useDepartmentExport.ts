import { useCallback, useState } from 'react';
import { getBridge } from '../api/bridge.js';
import { useAction, useNotify } from '../api/hooks.js';
import { useI18n } from '../i18n.js';

/**
 * Exports one department's open items as an Excel list (`departments.export`) and hands it over: opened with
 * the desktop app, downloaded in the browser. `exporting` names the department being exported.
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
      const bridge = getBridge();
      if (bridge) {
        await bridge.openPath(result.path);
      } else {
        const a = document.createElement('a');
        a.href = result.url;
        a.download = result.path.split(/[\\/]/).pop() ?? '';
        document.body.appendChild(a);
        a.click();
        a.remove();
      }
      notify('success', t('已导出：{path}', { path: result.path }));
    },
    [act, notify, t],
  );
  return { exporting, exportDepartment };
}
