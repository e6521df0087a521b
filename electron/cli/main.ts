import { main } from './binder.js';

// Entry of dist/cli/binder.mjs (the `binder` command).
process.exitCode = await main(process.argv.slice(2));
