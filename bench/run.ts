/**
 * npm run bench: every benchmark prints its figures and its ratio against a baseline measured
 * in the same run (never absolute pass/fail timings: these machines are shared and noisy).
 * Each suite is a module exporting `run()`; pass names to run only some: npm run bench -- core
 */
const SUITES: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  core: () => import('./core.js'),
  import: () => import('./import.js'),
  slack: () => import('./slack.js'),
  detect: () => import('./detect.js'),
  discord: () => import('./discord.js'),
  stix: () => import('./stix.js'),
  pictures: () => import('./pictures.js'),
  state: () => import('./state.js'),
  actors: () => import('./actors.js'),
  cli: () => import('./cli.js'),
};

const wanted = process.argv.slice(2);
for (const [name, load] of Object.entries(SUITES)) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`\n## ${name}`);
  const suite = await load();
  await suite.run();
}
