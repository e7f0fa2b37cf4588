/**
 * Reads keyshift.yaml: file → YAML → shape (zod) → references and cross references. Fails with
 * one KS_AGENT_CONFIG_INVALID error whose detail lines name every problem as `path: what is wrong`.
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { LineCounter, parseDocument } from 'yaml'
import { readFailure } from '../../files.ts'
import { AgentError } from '../errors.ts'
import { resolveConfig } from './resolve.ts'
import { parseConfigShape, type RawConfig } from './schema.ts'
import type { AgentConfig, Env, Problem } from './types.ts'

/** The error naming every problem of the configuration read from `path`. */
export function invalid(path: string, problems: Problem[]): AgentError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`
  return new AgentError('KS_AGENT_CONFIG_INVALID', `the configuration ${path} has ${count}`, {
    details: problems.map((problem) => `${problem.path}: ${problem.message}`),
  })
}

/**
 * YAML errors as problems. Only the first line of each message and its position: yaml's pretty
 * errors quote the source line, which might hold a secret written inline.
 */
function parseYaml(text: string): { document: unknown } | { problems: Problem[] } {
  const lines = new LineCounter()
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines })
  if (document.errors.length === 0) return { document: document.toJS() }
  return {
    problems: document.errors.map(function yamlProblem(error): Problem {
      const position = lines.linePos(error.pos[0])
      const where = `line ${position.line}, column ${position.col}`
      return {
        path: where,
        message: (error.message.split('\n')[0] ?? 'invalid YAML').replace(/ at line .*$/, ''),
      }
    }),
  }
}

/**
 * The configuration as written in `text` (read from `path`), shape checked, references not yet
 * resolved: the first steps, shared by the agent and `keyshift transition`.
 *
 * @throws {AgentError} KS_AGENT_CONFIG_INVALID, with one detail line per problem.
 */
export function parseRawConfig(text: string, path: string): RawConfig {
  const yaml = parseYaml(text)
  if ('problems' in yaml) throw invalid(path, yaml.problems)
  const shape = parseConfigShape(yaml.document ?? {})
  if ('problems' in shape) throw invalid(path, shape.problems)
  return shape.config
}

/** The variable that names the env file to read instead of `env_file:` (`keyshift agent --env-file`). */
export const ENV_FILE_VARIABLE = 'KEYSHIFT_AGENT_ENV_FILE'

const ENV_LINE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/

/**
 * The `NAME=value` lines of an env file read from `path`: blank lines and lines starting with `#`
 * are skipped, `export ` before a name is allowed, a value in matching single or double quotes is
 * taken without them, and as it is otherwise (no escapes, no comment after a value). A name given
 * twice takes its last value.
 *
 * @throws {AgentError} KS_AGENT_CONFIG_INVALID naming each line that is not so (never its text).
 */
export function parseEnvFile(text: string, path: string): Record<string, string> {
  const values: Record<string, string> = {}
  const problems: Problem[] = []
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    const match = ENV_LINE.exec(trimmed)
    if (match === null) {
      problems.push({ path: `${path}:${index + 1}`, message: 'expected NAME=value (or a # comment)' })
      continue
    }
    const value = match[2] ?? ''
    const quoted = value.length >= 2 && /^(["']).*\1$/s.test(value)
    values[match[1] as string] = quoted ? value.slice(1, -1) : value
  }
  if (problems.length === 0) return values
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`
  throw new AgentError('KS_AGENT_CONFIG_INVALID', `the env file ${path} has ${count}`, {
    details: problems.map((problem) => `${problem.path}: ${problem.message}`),
  })
}

function unreadableEnvFile(path: string, error: unknown): AgentError {
  const reason = readFailure(error)
  const what = reason === 'no such file' ? '; create it (chmod 600) or change env_file / --env-file' : ''
  return new AgentError('KS_AGENT_CONFIG_UNREADABLE', `cannot read the env file ${path} (${reason})${what}`, {
    cause: error,
  })
}

/**
 * Reads the env file at `path`, refused when its group or others may read or write it: it holds
 * secrets.
 *
 * @throws {AgentError} KS_AGENT_CONFIG_UNREADABLE (missing, unreadable, or mode not 0600 / 0400);
 *   KS_AGENT_CONFIG_INVALID (see parseEnvFile).
 */
export function readEnvFile(path: string): Record<string, string> {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (error) {
    throw unreadableEnvFile(path, error)
  }
  try {
    const mode = fstatSync(fd).mode & 0o777
    if ((mode & 0o077) !== 0 && process.platform !== 'win32') {
      const octal = mode.toString(8).padStart(4, '0')
      throw new AgentError(
        'KS_AGENT_CONFIG_UNREADABLE',
        `the env file ${path} may be read by group or others (mode ${octal}); it holds secrets: chmod 600 ${path}`,
      )
    }
    return parseEnvFile(readFileSync(fd, 'utf8'), path)
  } catch (error) {
    if (error instanceof AgentError) throw error
    throw unreadableEnvFile(path, error)
  } finally {
    closeSync(fd)
  }
}

/**
 * The env file to read for `raw` (read from `path`): the one `KEYSHIFT_AGENT_ENV_FILE` names (set by
 * `keyshift agent --env-file`; relative to the working folder), else `env_file:` (relative to the
 * configuration's folder), else none. Absolute.
 */
export function envFilePath(raw: RawConfig, path: string, env: Env): string | undefined {
  const given = env[ENV_FILE_VARIABLE]
  if (given !== undefined && given !== '') return resolve(given)
  return raw.env_file === undefined ? undefined : resolve(dirname(resolve(path)), raw.env_file)
}

/**
 * The variables `${NAME}` references are resolved in: those of the env file, and over them those of
 * the environment that are set and not empty (so that one value can be overridden without editing
 * the file).
 */
export function withEnvFile(env: Env, file: Readonly<Record<string, string>>): Env {
  const merged: Record<string, string | undefined> = { ...file }
  for (const [name, value] of Object.entries(env))
    if (value !== undefined && value !== '') merged[name] = value
  return merged
}

/**
 * Parses the text of a configuration file read from `path` (relative state_dir is taken from its
 * folder), resolving `${NAME}` references in `env` and in its env file (read here, at every load).
 *
 * @throws {AgentError} KS_AGENT_CONFIG_INVALID, with one detail line per problem;
 *   KS_AGENT_CONFIG_UNREADABLE when the env file is missing, unreadable or readable by others.
 */
export function parseConfig(text: string, path: string, env: Env): AgentConfig {
  const raw = parseRawConfig(text, path)
  const envFile = envFilePath(raw, path, env)
  const variables = envFile === undefined ? env : withEnvFile(env, readEnvFile(envFile))
  const resolved = resolveConfig(raw, path, variables)
  if ('problems' in resolved) throw invalid(path, resolved.problems)
  return { ...resolved.config, envFile }
}

/** KS_AGENT_CONFIG_UNREADABLE: the configuration at `path` could not be read, and why (ENOENT, EACCES). */
export function unreadableConfig(path: string, error: unknown): AgentError {
  return new AgentError(
    'KS_AGENT_CONFIG_UNREADABLE',
    `cannot read the configuration ${path} (${readFailure(error)})`,
    { cause: error },
  )
}

/**
 * Reads the file at `path`.
 *
 * @throws {AgentError} KS_AGENT_CONFIG_UNREADABLE naming the path and the reason.
 */
export async function readConfigText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    throw unreadableConfig(path, error)
  }
}

/**
 * Reads and checks the configuration file at `path`.
 *
 * @throws {AgentError} KS_AGENT_CONFIG_UNREADABLE or KS_AGENT_CONFIG_INVALID.
 */
export async function loadConfig(path: string, env: Env): Promise<AgentConfig> {
  return parseConfig(await readConfigText(path), path, env)
}
