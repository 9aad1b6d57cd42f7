/**
 * The timeline panel: drops over time on a canvas (see README.md).
 */
export { TimelinePanel, SPLIT_FIELDS } from './TimelinePanel';
export type { TimelinePanelProps } from './TimelinePanel';
