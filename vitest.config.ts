import { defineConfig } from 'vitest/config';

const shared = {
  environment: 'node' as const,
  testTimeout: 120_000,
  hookTimeout: 120_000,
};

/**
 * Two projects: every test on SQLite (the desktop), and the suites that touch storage — workspace, import, gaps,
 * build (engine parity), CLI, host — again on PostgreSQL (shared servers), in a private cluster that
 * tests/helpers/postgres-global-setup.ts starts and stops.
 */
export default defineConfig({
  test: {
    // Integration tests start LibreOffice and write workspaces; two cores, so keep it modest.
    maxWorkers: 2,
    projects: [
      {
        test: {
          ...shared,
          name: 'sqlite',
          include: ['tests/unit/**/*.test.{ts,tsx}', 'tests/integration/**/*.test.{ts,tsx}'],
          // Compares the two engines: needs the cluster, so it runs in the postgres project only.
          exclude: ['tests/integration/engines.test.ts'],
        },
      },
      {
        test: {
          ...shared,
          name: 'postgres',
          include: [
            'tests/integration/storage.test.ts',
            'tests/integration/engines.test.ts',
            'tests/integration/workspace.test.ts',
            'tests/integration/handlers.test.ts',
            'tests/integration/host.test.ts',
            'tests/integration/cli.test.ts',
            'tests/integration/ledgers.test.ts',
            'tests/integration/rectification.test.ts',
            'tests/integration/team-server.test.ts',
            'tests/integration/team-cli.test.ts',
            'tests/integration/team-workflow.test.ts',
            'tests/integration/team-jobs.test.ts',
            'tests/integration/team-returned.test.ts',
          ],
          globalSetup: ['tests/helpers/postgres-global-setup.ts'],
          setupFiles: ['tests/helpers/postgres-env.ts'],
        },
      },
    ],
  },
});
