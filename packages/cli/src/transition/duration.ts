/** `--quiet-period` and other durations on the command line: `7d`, `36h`, `1d12h`, `90m`, `45s`. */
import { CliError } from '../errors.ts'
import { parseDuration } from './settings.ts'

/**
 * The number of seconds `text` says, given to `--<option>`.
 *
 * @throws {CliError} KS_USAGE for anything parseDuration does not read.
 */
export function parseDurationSeconds(text: string, option: string): number {
  const seconds = parseDuration(text.trim())
  if (seconds === undefined) {
    throw new CliError('KS_USAGE', `--${option} must be a duration such as 7d, 36h, 90m or 45s`)
  }
  return seconds
}
