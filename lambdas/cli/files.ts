import { constants, type WriteStream } from 'node:fs';
import { access, open, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** Fail with one clear line when `file` cannot be written: no folder, not a folder, a folder itself, or no permission. */
export async function assertWritable(file: string, flag: string): Promise<void> {
  const path = resolve(file);
  const fail = (why: string): never => {
    throw new Error(`${flag} ${file}: cannot write there (${why})`);
  };
  const target = await stat(path).catch(() => undefined);
  if (target?.isDirectory()) fail('it is a folder');
  if (target) {
    await access(path, constants.W_OK).catch(() => fail('no permission to overwrite it'));
    return;
  }
  const folder = await stat(dirname(path)).catch(() => undefined);
  if (!folder) fail(`no folder ${dirname(path)}`);
  if (!folder?.isDirectory()) fail(`${dirname(path)} is not a folder`);
  await access(dirname(path), constants.W_OK).catch(() => fail(`no permission to create files in ${dirname(path)}`));
}

/**
 * Open `file` for writing (created or truncated) and return a stream on it. Every reason it cannot
 * be opened is one line naming `flag`, thrown here, not an 'error' event on a stream nobody listens to.
 */
export async function openOutput(file: string, flag: string): Promise<WriteStream> {
  await assertWritable(file, flag);
  try {
    return (await open(file, 'w')).createWriteStream();
  } catch (error) {
    throw new Error(`${flag} ${file}: cannot write there (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** The size of an input file, or one line saying why it cannot be read. */
export async function inputSize(file: string): Promise<number> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`${file}: cannot read it (${error.code === 'ENOENT' ? 'no such file' : (error.code ?? error.message)})`);
  });
  if (info.isDirectory()) throw new Error(`${file}: cannot read it (it is a folder)`);
  await access(file, constants.R_OK).catch(() => {
    throw new Error(`${file}: cannot read it (no permission)`);
  });
  return info.size;
}
