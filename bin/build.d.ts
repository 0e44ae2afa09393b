// Types of bin/build.js (a plain JavaScript script: it runs before anything is compiled).
export const STAMP: string;
export const BUNDLE_DIR: string;
export function compile(root: string, stdio?: 'inherit' | 'ignore'): number;
export function bundle(root: string): Promise<void>;
export function buildAll(root: string): Promise<number>;
