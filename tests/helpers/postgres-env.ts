import { inject } from 'vitest';

// Every workspace a test of the "postgres" project creates (in process, or through the CLI it spawns) gets its own
// schema in the private cluster: EVIDENCE_BINDER_DATABASE is the default database for new workspaces.
process.env.EVIDENCE_BINDER_DATABASE = inject('postgresUrl');
