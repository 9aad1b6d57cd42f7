/**
 * A drop reason's name with a dot in its category's colour (grid cells, details, tables).
 */
import { categoryInfo, describeReason } from '../../shared/reasons';

/** Props of `ReasonChip`. */
export interface ReasonChipProps {
  /** Reason name as the store reports it; null shows a dash. */
  reason: string | null;
}

/** A reason with its category colour; the title says the category and what the reason means. */
export function ReasonChip({ reason }: ReasonChipProps) {
  if (reason === null || reason === '' || reason === '(none)') {
    return <span className="reason-chip reason-none">—</span>;
  }
  const info = describeReason(reason);
  const category = categoryInfo(info.category);
  return (
    <span
      className="reason-chip"
      title={`${category.label}: ${info.summary}`}
      data-category={info.category}
    >
      <span className="reason-dot" style={{ background: category.colour }} aria-hidden="true" />
      <span className="reason-name">{reason}</span>
    </span>
  );
}
