export { EventStore } from './EventStore';
export type { StoreColumns, StoreDictionaries } from './EventStore';
export { TraceQueries } from './TraceQueries';
export { selectEvents, selectAll, FilterEvaluationError } from './compileFilter';
export type { Selection } from './compileFilter';
export { sortSelection } from './sortSelection';
export { countBy, countByPair, histogram, pageRows, eventsOfSkbaddr } from './queries';
export { StringDictionary } from './StringDictionary';
export { CHUNK_SIZE } from './Column';
