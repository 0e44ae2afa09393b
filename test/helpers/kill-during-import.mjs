// Preloaded (node --import) into a real `aptcard import`: SIGKILLs the process at a chosen point
// of its renames, the way a kill -9 or a power loss would, with no hook in the product itself.
// KILL_AT=card:N  dies just before the (N+1)th card file is renamed into the cards folder;
// KILL_AT=journal dies just before the import's journal is renamed into place (its commit point).
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { basename } from 'node:path';

const [what, n] = (process.env.KILL_AT ?? '').split(':');
const real = fs.renameSync;
let cards = 0;
fs.renameSync = (from, to) => {
  const name = basename(String(to));
  if (what === 'journal' && name === '.aptcard-import.journal')
    process.kill(process.pid, 'SIGKILL');
  if (what === 'card' && name.endsWith('.md') && cards++ === Number(n)) {
    process.kill(process.pid, 'SIGKILL');
  }
  return real(from, to);
};
// The product imports { renameSync } from 'node:fs': make its named export the patched one.
syncBuiltinESMExports();
