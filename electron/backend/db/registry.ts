/**
 * The databases this process has open. Kept apart from ./connection.ts so that a command's entry point can close
 * them without loading any database driver: a PostgreSQL pool left open keeps a process alive.
 */
const open = new Set<{ close(): Promise<void> }>();

export function trackOpen(store: { close(): Promise<void> }): void {
  open.add(store);
}

export function untrackOpen(store: { close(): Promise<void> }): void {
  open.delete(store);
}

/** Closes whatever is still open (a command that failed half-way), so the process can end. */
export async function closeAllStores(): Promise<void> {
  await Promise.all([...open].map((store) => store.close()));
}
