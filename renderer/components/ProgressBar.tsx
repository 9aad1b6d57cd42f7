/**
 * A thin progress bar; indeterminate (animated) when the total is unknown.
 */

/** Props of `ProgressBar`. */
export interface ProgressBarProps {
  done: number;
  total: number;
  label: string;
}

/** A progress bar with an accessible value. */
export function ProgressBar({ done, total, label }: ProgressBarProps) {
  const isKnown = total > 0;
  const percent = isKnown ? Math.min(100, Math.max(0, (done / total) * 100)) : 0;
  return (
    <div
      className={isKnown ? 'progress' : 'progress progress-indeterminate'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      {...(isKnown ? { 'aria-valuenow': Math.round(percent) } : {})}
    >
      <div className="progress-fill" style={isKnown ? { width: `${percent}%` } : undefined} />
    </div>
  );
}
