/**
 * The grid panel: drops in an ag-grid Infinite Row Model grid fed by `trace:page`.
 */
export { DropGridPanel, QUICK_SEARCH_INPUT_ID } from './DropGridPanel';
export type { DropGridPanelProps } from './DropGridPanel';
