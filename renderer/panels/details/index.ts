/**
 * The details panel: the selected drop, its reason explained, its raw line and its packet.
 */
export { DropDetailsPanel } from './DropDetailsPanel';
export type { DropDetailsPanelProps } from './DropDetailsPanel';
