import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../../renderer/services';
import { DEFAULT_VIEW, createViewStore } from '../../../renderer/state';

describe('viewStore', () => {
  it('remembers the layout in storage and reads it back', () => {
    const storage = memoryStorage();
    const store = createViewStore(storage);
    store.getState().setPanelSize('sidebarWidth', 300);
    store.getState().setColumnHidden('pid', true);
    store.getState().setThemePreference('dark');
    store.getState().setMainView('breakdown');

    const again = createViewStore(storage).getState();
    expect(again.sidebarWidth).toBe(300);
    expect(again.hiddenColumns).toContain('pid');
    expect(again.themePreference).toBe('dark');
    expect(again.mainView).toBe('breakdown');
  });

  it('clamps panel sizes and falls back to defaults for stale or edited values', () => {
    const storage = memoryStorage();
    storage.setItem(
      'dropscope.view',
      JSON.stringify({ sidebarWidth: 5000, splitBy: 'nonsense', timeMode: 'absolute' }),
    );
    const store = createViewStore(storage);
    expect(store.getState().sidebarWidth).toBe(DEFAULT_VIEW.sidebarWidth);
    expect(store.getState().splitBy).toBe('reason');
    expect(store.getState().timeMode).toBe('absolute');
    store.getState().setPanelSize('detailsWidth', 10);
    expect(store.getState().detailsWidth).toBe(260);
  });

  it('cycles the theme system → light → dark → system', () => {
    const store = createViewStore(null);
    const seen = [1, 2, 3].map(() => {
      store.getState().cycleTheme();
      return store.getState().themePreference;
    });
    expect(seen).toEqual(['light', 'dark', 'system']);
  });

  it('survives unreadable storage', () => {
    const storage = memoryStorage();
    storage.setItem('dropscope.view', '{not json');
    expect(createViewStore(storage).getState().mainView).toBe('explorer');
  });
});
