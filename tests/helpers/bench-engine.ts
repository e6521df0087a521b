import { startTestCluster } from './postgres.js';

/**
 * Which engine a benchmark measures: SQLite by default; `--engine postgres` starts a private cluster (as the tests
 * do) and `--database postgres://…` uses a server that is already running.
 */
export async function benchDatabase(argv = process.argv): Promise<{ database: string | null; engine: 'sqlite' | 'postgres'; stop(): void }> {
  const given = argv.includes('--database') ? argv[argv.indexOf('--database') + 1] : undefined;
  if (given) return { database: given, engine: 'postgres', stop: () => {} };
  const engine = argv.includes('--engine') ? argv[argv.indexOf('--engine') + 1] : 'sqlite';
  if (engine === 'sqlite') return { database: null, engine, stop: () => {} };
  if (engine !== 'postgres') throw new Error(`--engine 应为 sqlite 或 postgres：${engine}`);
  const cluster = await startTestCluster();
  return { database: cluster.url, engine, stop: () => cluster.stop() };
}
