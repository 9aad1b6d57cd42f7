import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { appMenuTemplate, type AppMenuActions, type AppMenuOptions } from '../../../main/app/menus';

function options(overrides: Partial<AppMenuOptions> = {}): AppMenuOptions {
  const actions: AppMenuActions = {
    openFiles: vi.fn(),
    command: vi.fn(),
    clearRecent: vi.fn(),
    showAbout: vi.fn(),
    openReadme: vi.fn(),
  };
  return {
    platform: 'linux',
    appName: 'Dropscope',
    recent: [],
    isDev: false,
    hasSample: true,
    hasReadme: true,
    actions,
    ...overrides,
  };
}

function submenu(
  template: MenuItemConstructorOptions[],
  label: string,
): MenuItemConstructorOptions[] {
  const menu = template.find((item) => item.label?.replace('&', '') === label);
  return (menu?.submenu ?? []) as MenuItemConstructorOptions[];
}

function item(items: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions {
  const found = items.find((entry) => entry.label?.replace('&', '') === label);
  if (!found) throw new Error(`no menu item ${label}`);
  return found;
}

function click(entry: MenuItemConstructorOptions): void {
  (entry.click as () => void)();
}

describe('appMenuTemplate', () => {
  it('has File, Edit, View and Help on Linux', () => {
    expect(appMenuTemplate(options()).map((menu) => menu.label ?? menu.role)).toEqual([
      '&File',
      '&Edit',
      '&View',
      '&Help',
    ]);
  });

  it('asks the renderer to open a recent file when it is chosen', () => {
    const opts = options({ recent: ['/traces/b.txt', '/traces/a.txt'] });
    const recent = item(submenu(appMenuTemplate(opts), 'File'), 'Open Recent')
      .submenu as MenuItemConstructorOptions[];
    expect(recent.map((entry) => entry.label ?? entry.type)).toEqual([
      '/traces/b.txt',
      '/traces/a.txt',
      'separator',
      'Clear Recent',
    ]);
    click(recent[1]!);
    expect(opts.actions.command).toHaveBeenCalledWith({
      command: 'open-files',
      paths: ['/traces/a.txt'],
    });
    click(recent[3]!);
    expect(opts.actions.clearRecent).toHaveBeenCalled();
  });

  it('shows a disabled placeholder when there is no recent file', () => {
    const recent = item(submenu(appMenuTemplate(options()), 'File'), 'Open Recent')
      .submenu as MenuItemConstructorOptions[];
    expect(recent).toEqual([{ label: 'No Recent Files', enabled: false }]);
  });

  it('sends close-tab and find to the renderer with their shortcuts', () => {
    const opts = options();
    const template = appMenuTemplate(opts);
    const close = item(submenu(template, 'File'), 'Close Tab');
    const find = item(submenu(template, 'Edit'), 'Find…');
    expect([close.accelerator, find.accelerator]).toEqual(['CmdOrCtrl+W', 'CmdOrCtrl+F']);
    click(close);
    click(find);
    expect(opts.actions.command).toHaveBeenNthCalledWith(1, { command: 'close-tab' });
    expect(opts.actions.command).toHaveBeenNthCalledWith(2, { command: 'find' });
  });

  it('offers reload and developer tools only in development', () => {
    const roles = (isDev: boolean) =>
      submenu(appMenuTemplate(options({ isDev })), 'View').map((entry) => entry.role);
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(false)).not.toContain('reload');
    expect(roles(true)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });

  it('disables Open Sample Trace when the build has no sample', () => {
    const file = submenu(appMenuTemplate(options({ hasSample: false })), 'File');
    expect(item(file, 'Open Sample Trace').enabled).toBe(false);
  });

  it('puts the app menu first and no Quit in File on macOS', () => {
    const template = appMenuTemplate(options({ platform: 'darwin' }));
    expect(template[0]).toEqual({ role: 'appMenu' });
    expect(submenu(template, 'File').map((entry) => entry.role)).not.toContain('quit');
  });

  it('has File > Export items that send export-FORMAT commands', () => {
    const opts = options();
    const exportMenu = item(submenu(appMenuTemplate(opts), 'File'), 'Export');
    const items = exportMenu.submenu as MenuItemConstructorOptions[];
    expect(items.map((entry) => entry.label)).toEqual([
      'HTML report…',
      'PDF report…',
      'Markdown summary…',
      'CSV…',
      'JSON lines…',
      'Reason × location CSV…',
    ]);
    click(item(items, 'CSV…'));
    expect(opts.actions.command).toHaveBeenCalledWith({ command: 'export-csv' });
  });
});
