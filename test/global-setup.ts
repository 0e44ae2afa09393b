import { bundle, compile } from '../bin/build.js';
import { REPO_ROOT } from './helpers/corpus.js';

/**
 * Tests that run the real `aptcard` launcher need dist/ to match the sources: compile it once
 * (incremental, so this is quick when nothing changed) and bundle the CLI as `npm run build`
 * does, so the launcher runs the bundle. Type errors fail `npm run typecheck`, not this step:
 * tsc still emits.
 */
export default async function setup(): Promise<void> {
  compile(REPO_ROOT, 'ignore');
  await bundle(REPO_ROOT);
}
