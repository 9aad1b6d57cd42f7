/**
 * The grid's look through ag-grid's theming API: Quartz, compact, in the app's light or dark
 * scheme. Built once per scheme (a theme object change restyles the whole grid).
 */
import { colorSchemeDark, colorSchemeLight, themeQuartz, type Theme } from 'ag-grid-community';

const shared = {
  fontSize: 12,
  spacing: 5,
  rowHeight: 26,
  headerHeight: 30,
  wrapperBorderRadius: 0,
  borderRadius: 2,
  fontFamily: 'var(--font-ui)',
  headerFontWeight: 600,
} as const;

const lightTheme = themeQuartz
  .withPart(colorSchemeLight)
  .withParams({ ...shared, accentColor: '#2f6fde', backgroundColor: '#ffffff' });

const darkTheme = themeQuartz
  .withPart(colorSchemeDark)
  .withParams({ ...shared, accentColor: '#5b8ff0', backgroundColor: '#1b1d21' });

/** The grid theme for a colour scheme. */
export function gridTheme(scheme: 'light' | 'dark'): Theme {
  return scheme === 'dark' ? darkTheme : lightTheme;
}
