/**
 * Runs before every test file (vitest setupFiles): point XDG_STATE_HOME at a fresh temporary
 * folder, so `aptcard start` in a test never reads or writes the user's state, and two test
 * files never see each other's Slack event claims or cooldowns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const home = mkdtempSync(join(tmpdir(), 'aptcard-state-'));
process.env.XDG_STATE_HOME = home;
afterAll(() => rmSync(home, { recursive: true, force: true }));
