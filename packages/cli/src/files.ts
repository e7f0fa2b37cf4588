/** What to say when a file cannot be read. */

/** Why a file could not be read, for a message: "no such file", else its code (EACCES) or "unreadable". */
export function readFailure(error: unknown): string {
  const code = (error as { code?: unknown }).code
  if (code === 'ENOENT') return 'no such file'
  return typeof code === 'string' ? code : 'unreadable'
}
