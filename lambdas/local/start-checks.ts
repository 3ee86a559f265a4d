import { createRequire } from 'node:module';

/**
 * Local mode could not start for a reason the user can fix (a busy port, an unusable data
 * folder, a data folder another process has open): `message` is one line that says what and
 * how, printed as is by `npm start` instead of a stack trace.
 */
export class LocalStartError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalStartError';
  }
}

/** Why the data folder cannot be used, from the error code of the failed call. */
export function dataDirProblem(dataDir: string, error: unknown): LocalStartError | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    EEXIST: 'it is a file, not a folder',
    ENOTDIR: 'a part of its path is a file, not a folder',
    EACCES: 'no permission to create or write it',
    EPERM: 'no permission to create or write it',
    EROFS: 'it is on a read-only file system',
    ENOSPC: 'the disk is full',
  };
  const reason = code ? why[code] : undefined;
  return reason ? new LocalStartError(`cannot use the data folder ${dataDir}: ${reason} — choose another with --data-dir`, { cause: error }) : undefined;
}

/** The LevelDB class dynalite stores `--persist` data with, loaded as dynalite itself loads it. */
interface LevelDatabase {
  open(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Fail with one line when another process holds the persisted database (a second `npm start
 * -- --persist` on the same data folder). LevelDB takes an exclusive lock; dynalite would only
 * find out on its first request, and throw from inside its HTTP handler, out of anyone's reach.
 * The probe opens and closes the database once, before dynalite does.
 */
export async function assertDatabaseFree(path: string): Promise<void> {
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const { Level } = fromDynalite('level') as { Level: new (location: string) => LevelDatabase };
  const db = new Level(path);
  try {
    await db.open();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') {
      throw new LocalStartError(`the data in ${path} is in use by another sms-shield process — stop it, or start this one with another --data-dir`, {
        cause: error,
      });
    }
    throw error;
  }
  await db.close();
}
