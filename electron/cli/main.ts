import { closeAllStores } from '../backend/db/registry.js';
import { main } from './binder.js';

// Entry of dist/cli/binder.mjs (the `binder` command).
try {
  process.exitCode = await main(process.argv.slice(2));
} finally {
  // A command that failed half-way may leave a workspace open; a PostgreSQL pool would keep the process alive.
  await closeAllStores();
}
