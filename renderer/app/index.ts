/**
 * The renderer's composition root.
 */
export { App } from './App';
export type { AppProps } from './App';
