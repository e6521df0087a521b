import { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor } from '../../../shared/team/roles.js';

/**
 * The user a call runs for, carried through the async work of that call (one server serves many users at once, so
 * it cannot be a field of the workspace). History rows read it when they are written.
 */
const storage = new AsyncLocalStorage<Actor>();

export function runAs<T>(actor: Actor | undefined, fn: () => Promise<T>): Promise<T> {
  return actor ? storage.run(actor, fn) : fn();
}

export function currentActor(): Actor | undefined {
  return storage.getStore();
}
