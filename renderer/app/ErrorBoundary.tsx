/**
 * Catches a render error below it and shows it with a way back, instead of a blank window.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';

/** Props of `ErrorBoundary`. */
export interface ErrorBoundaryProps {
  children: ReactNode;
  /** What broke, for the message ("the explorer", "the grid"). */
  area: string;
  /** Changing it clears the error (e.g. the active trace id). */
  resetKey?: string | null;
}

interface ErrorBoundaryState {
  error: Error | null;
  resetKey: string | null;
}

/** An error boundary with a "Try again" button. */
export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { error: null, resetKey: this.props.resetKey ?? null };

  static getDerivedStateFromError(error: unknown): Partial<ErrorBoundaryState> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(
    props: ErrorBoundaryProps,
    state: ErrorBoundaryState,
  ): Partial<ErrorBoundaryState> | null {
    const resetKey = props.resetKey ?? null;
    return resetKey !== state.resetKey ? { resetKey, error: null } : null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`Dropscope: ${this.props.area} failed`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="error-boundary" role="alert" data-testid="error-boundary">
        <h2>Something went wrong in {this.props.area}.</h2>
        <pre>{error.message}</pre>
        <button
          type="button"
          className="button-primary"
          onClick={() => this.setState({ error: null })}
        >
          Try again
        </button>
      </div>
    );
  }
}
