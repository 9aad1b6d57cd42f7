/**
 * The workspace of the active trace: the summary bar, then the main view — the explorer (facets,
 * filter bar, timeline, grid, details), the reason × location breakdown, or the comparison.
 */
import { useCallback } from 'react';
import type { TraceInfo } from '../../shared/contract';
import type { EventField, TimeRange } from '../../shared/model';
import { isCaptureEnded } from '../../shared/model';
import { Splitter } from '../components';
import { BreakdownPanel } from '../panels/breakdown';
import { CaptureBar } from '../panels/capture';
import { ComparePanel } from '../panels/compare';
import { DropDetailsPanel } from '../panels/details';
import { FacetsPanel, FilterBar } from '../panels/filters';
import { DropGridPanel } from '../panels/grid';
import { SummaryBar } from '../panels/summary';
import { TimelinePanel } from '../panels/timeline';
import { useApi } from '../services';
import {
  useCaptureActions,
  useCaptureOfTrace,
  useFilterActions,
  useIsFollowing,
  useOpenTraces,
  usePanelSizes,
  useSplitBy,
  useTraceFilter,
  useTraceDataVersion,
  useTraceRevision,
  useViewActions,
  useViewSetting,
} from '../state';
import { ErrorBoundary } from './ErrorBoundary';

/** Props of the workspace. */
export interface TraceWorkspaceProps {
  trace: TraceInfo;
}

/** The active trace's workspace (see the file overview). */
export function TraceWorkspace({ trace }: TraceWorkspaceProps) {
  const mainView = useViewSetting('mainView');
  const traces = useOpenTraces();
  const filter = useTraceFilter(trace.traceId);
  return (
    <div className="workspace">
      <CaptureBar traceId={trace.traceId} />
      <SummaryBar trace={trace} />
      <ErrorBoundary area={`the ${mainView} view`} resetKey={`${trace.traceId}:${mainView}`}>
        {mainView === 'explorer' && <ExplorerView trace={trace} />}
        {mainView === 'breakdown' && <BreakdownPanel traceId={trace.traceId} />}
        {mainView === 'compare' && <ComparePanel traces={traces} activeFilter={filter.spec} />}
      </ErrorBoundary>
    </div>
  );
}

/** Facets | filter bar, timeline, grid | details — with resizable splitters. */
function ExplorerView({ trace }: TraceWorkspaceProps) {
  const { traceId, firstNs, lastNs } = trace;
  const api = useApi();
  const filter = useTraceFilter(traceId);
  const revision = useTraceRevision(traceId);
  const dataVersion = useTraceDataVersion(traceId);
  const capture = useCaptureOfTrace(traceId);
  const isFollowing = useIsFollowing(traceId);
  const { setFollowing } = useCaptureActions();
  const onFollowChange = useCallback(
    (following: boolean) => setFollowing(traceId, following),
    [setFollowing, traceId],
  );
  const isLive = capture !== null && !isCaptureEnded(capture.state);
  const splitBy = useSplitBy();
  const sizes = usePanelSizes();
  const isDetailsOpen = useViewSetting('isDetailsOpen');
  const { setSplitBy, setPanelSize, setDetailsOpen } = useViewActions();
  const { setTimeRange } = useFilterActions();
  const onBrush = useCallback(
    (range: TimeRange | null) => setTimeRange(traceId, range),
    [setTimeRange, traceId],
  );
  const onSplitByChange = useCallback((field: EventField) => setSplitBy(field), [setSplitBy]);
  const hasTimestamps = firstNs !== null;

  return (
    <div
      className="explorer"
      style={{
        gridTemplateColumns: `${sizes.sidebarWidth}px 5px minmax(0, 1fr)${
          isDetailsOpen ? ` 5px ${sizes.detailsWidth}px` : ' auto'
        }`,
      }}
    >
      <ErrorBoundary area="the facets" resetKey={traceId}>
        <FacetsPanel traceId={traceId} />
      </ErrorBoundary>
      <Splitter
        orientation="vertical"
        sizePx={sizes.sidebarWidth}
        direction={1}
        label="Resize the facets"
        onResize={(size) => setPanelSize('sidebarWidth', size)}
      />
      <div className="explorer-center">
        <FilterBar traceId={traceId} firstNs={firstNs} />
        <div
          className="timeline-host"
          style={hasTimestamps ? { height: sizes.timelineHeight } : undefined}
        >
          <ErrorBoundary area="the timeline" resetKey={traceId}>
            <TimelinePanel
              key={`${traceId}:${revision}`}
              client={api.client}
              traceId={traceId}
              filter={filter.specWithoutTime}
              timeRange={filter.timeRange}
              onBrush={onBrush}
              splitBy={splitBy}
              onSplitByChange={onSplitByChange}
              firstNs={firstNs}
              lastNs={lastNs}
              dataVersion={dataVersion}
              isLive={isLive}
              isFollowing={isFollowing}
              onFollowChange={onFollowChange}
            />
          </ErrorBoundary>
        </div>
        {hasTimestamps && (
          <Splitter
            orientation="horizontal"
            sizePx={sizes.timelineHeight}
            direction={1}
            label="Resize the timeline"
            onResize={(size) => setPanelSize('timelineHeight', size)}
          />
        )}
        <ErrorBoundary area="the grid" resetKey={traceId}>
          <DropGridPanel key={traceId} traceId={traceId} firstNs={firstNs} />
        </ErrorBoundary>
      </div>
      {isDetailsOpen ? (
        <>
          <Splitter
            orientation="vertical"
            sizePx={sizes.detailsWidth}
            direction={-1}
            label="Resize the details"
            onResize={(size) => setPanelSize('detailsWidth', size)}
          />
          <ErrorBoundary area="the details" resetKey={traceId}>
            <DropDetailsPanel
              traceId={traceId}
              firstNs={firstNs}
              fileName={trace.name}
              onClose={() => setDetailsOpen(false)}
            />
          </ErrorBoundary>
        </>
      ) : (
        <button
          type="button"
          className="details-reopen"
          data-testid="details-open"
          title="Show the drop details"
          onClick={() => setDetailsOpen(true)}
        >
          Details
        </button>
      )}
    </div>
  );
}
