/**
 * The filter panels: the facets sidebar and the filter bar (typed expression, chips, time range).
 */
export { FacetsPanel, FACET_FIELDS } from './FacetsPanel';
export type { FacetsPanelProps } from './FacetsPanel';
export { FilterBar, FILTER_INPUT_ID } from './FilterBar';
export type { FilterBarProps } from './FilterBar';
