import type { MenuItemConstructorOptions } from 'electron';
import type { RecentWorkspace } from './state.js';

/** What the menu items do; main.ts supplies them (dialogs, backend calls, commands to the focused window). */
export type MenuActions = {
  newWorkspace(): void;
  openWorkspace(): void;
  openRecent(dir: string): void;
  importFiles(): void;
  importFolder(): void;
  build(): void;
  undoFiling(): void;
  about(): void;
  openDemo(): void;
};

/** The Chinese application menu. Pure: the same input gives the same template (unit-tested). */
export function buildMenuTemplate(actions: MenuActions, recent: readonly RecentWorkspace[], platform: NodeJS.Platform = process.platform): MenuItemConstructorOptions[] {
  const recentItems: MenuItemConstructorOptions[] = recent.length
    ? recent.map((r) => ({ label: `${r.title}　${r.dir}`, click: () => actions.openRecent(r.dir) }))
    : [{ label: '（没有最近打开的工作区）', enabled: false }];
  const template: MenuItemConstructorOptions[] = [
    {
      label: '文件',
      submenu: [
        { label: '新建工作区…', accelerator: 'CmdOrCtrl+N', click: () => actions.newWorkspace() },
        { label: '打开工作区…', accelerator: 'CmdOrCtrl+O', click: () => actions.openWorkspace() },
        { label: '最近打开', submenu: recentItems },
        { type: 'separator' },
        { label: '导入文件…', accelerator: 'CmdOrCtrl+I', click: () => actions.importFiles() },
        { label: '导入文件夹…', accelerator: 'CmdOrCtrl+Shift+I', click: () => actions.importFolder() },
        { type: 'separator' },
        { label: '生成汇编…', accelerator: 'CmdOrCtrl+B', click: () => actions.build() },
        { type: 'separator' },
        platform === 'darwin' ? { label: '关闭窗口', role: 'close' } : { label: '退出', role: 'quit', accelerator: 'Alt+F4' },
      ],
    },
    {
      label: '编辑',
      submenu: [
        // In a text field this is the field's own undo; elsewhere it undoes the last filing (filing.undo).
        { label: '撤销', accelerator: 'CmdOrCtrl+Z', click: () => actions.undoFiling() },
        { type: 'separator' },
        { label: '剪切', role: 'cut' },
        { label: '复制', role: 'copy' },
        { label: '粘贴', role: 'paste' },
        { label: '全选', role: 'selectAll' },
      ],
    },
    {
      label: '视图',
      submenu: [
        { label: '实际大小', role: 'resetZoom' },
        { label: '放大', role: 'zoomIn' },
        { label: '缩小', role: 'zoomOut' },
        { type: 'separator' },
        { label: '全屏', role: 'togglefullscreen' },
      ],
    },
    {
      label: '帮助',
      submenu: [
        { label: '打开示例工作区', click: () => actions.openDemo() },
        { type: 'separator' },
        { label: '关于佐证材料汇编', click: () => actions.about() },
      ],
    },
  ];
  if (platform === 'darwin') {
    template.unshift({
      label: '佐证材料汇编',
      submenu: [
        { label: '关于佐证材料汇编', click: () => actions.about() },
        { type: 'separator' },
        { label: '隐藏', role: 'hide' },
        { label: '退出佐证材料汇编', role: 'quit' },
      ],
    });
  }
  return template;
}
