export * from './DropEvent';
export * from './FilterSpec';
export * from './TraceFormat';
export * from './TraceSummary';
export * from './queries';
export * from './protocols';
export * from './normalizedFormat';
