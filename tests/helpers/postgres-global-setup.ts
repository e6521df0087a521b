import type { TestProject } from 'vitest/node';
import { startTestCluster } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/**
 * Vitest global setup of the "postgres" project: one private cluster for the run, its URL handed to that
 * project's workers only (tests/helpers/postgres-env.ts), so the SQLite project never sees it.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const cluster = await startTestCluster();
  project.provide('postgresUrl', cluster.url);
  return () => cluster.stop();
}
