// Types of bin/build-if-stale.js (a plain JavaScript script: it runs before anything is compiled).
export { STAMP } from './build.js';
export function staleReason(root: string): string | undefined;
export function buildIfStale(root: string): Promise<number>;
