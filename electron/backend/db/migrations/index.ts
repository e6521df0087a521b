import type { WritableDb } from '../connection.js';
import { initialSchema } from './0001-initial.js';
import { titleOrigin } from './0002-title-origin.js';
import { historyBatchesAndJobs } from './0003-history-batches-and-jobs.js';
import { ocr } from './0004-ocr.js';
import { ledgers } from './0005-ledgers.js';
import { rectification } from './0006-rectification.js';
import { teamSubmissions } from './0007-team-submissions.js';
import { usersSessions } from './0008-users-sessions.js';
import { deadlinesKits } from './0009-deadlines-kits.js';
import { jobActor } from './0010-job-actor.js';

export type Migration = { name: string; up(db: WritableDb): Promise<void> };

/**
 * Ordered and append-only (Signal Desktop's discipline): the database's version is the number of steps applied.
 * Never edit a step that has shipped; add a new file.
 */
export const MIGRATIONS: readonly Migration[] = [initialSchema, titleOrigin, historyBatchesAndJobs, ocr, ledgers, rectification, teamSubmissions, usersSessions, deadlinesKits, jobActor];

export const SCHEMA_VERSION = MIGRATIONS.length;
