import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from './helpers/corpus.js';

/**
 * Tests that run the real `aptcard` launcher need dist/ to match the sources: build it once
 * (incremental, so this is quick when nothing changed). Type errors fail `npm run typecheck`,
 * not this step: tsc still emits.
 */
export default function setup(): void {
  spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    cwd: REPO_ROOT,
    stdio: 'ignore',
  });
}
