/** Core benchmarks (start-up, query latency, scale). Filled in with issue 2's targets. */
export async function run(): Promise<void> {
  console.log('core: pending');
}
