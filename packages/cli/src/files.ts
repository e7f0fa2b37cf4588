/** What to say when a file cannot be read, and how an `--out` file is written. */
import { writeFile } from 'node:fs/promises'
import { CliError } from './errors.ts'

/** Why a file could not be read, for a message: "no such file", else its code (EACCES) or "unreadable". */
export function readFailure(error: unknown): string {
  const code = (error as { code?: unknown }).code
  if (code === 'ENOENT') return 'no such file'
  return typeof code === 'string' ? code : 'unreadable'
}

/** KS_FILE_WRITE_FAILED for `path`, with the system's code (EACCES, ENOENT for a missing folder). */
export function writeFailed(path: string, error: unknown): CliError {
  const code = (error as { code?: unknown }).code
  return new CliError(
    'KS_FILE_WRITE_FAILED',
    `cannot write ${path} (${typeof code === 'string' ? code : 'write failed'})`,
    { cause: error },
  )
}

/** KS_FILE_EXISTS for an `--out` file that is there already; `hint` says what to do about it. */
export function outFileExists(path: string, hint: string, cause?: unknown): CliError {
  return new CliError('KS_FILE_EXISTS', `${path} already exists; it was left as it is`, { cause, hint })
}

/**
 * Writes an `--out` file; an existing file is kept unless `force`.
 *
 * @throws {CliError} KS_FILE_EXISTS (with `hint`), or KS_FILE_WRITE_FAILED.
 */
export async function writeOutFile(
  path: string,
  text: string,
  { force, hint }: { force: boolean; hint: string },
): Promise<void> {
  try {
    await writeFile(path, text, { flag: force ? 'w' : 'wx' })
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EEXIST') throw outFileExists(path, hint, error)
    throw writeFailed(path, error)
  }
}
