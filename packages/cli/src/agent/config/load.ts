/**
 * Reads keyshift.yaml: file → YAML → shape (zod) → references and cross references. Fails with
 * one KS_AGENT_CONFIG_INVALID error whose detail lines name every problem as `path: what is wrong`.
 */
import { readFile } from 'node:fs/promises'
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

/**
 * Parses the text of a configuration file read from `path` (relative state_dir is taken from its
 * folder), resolving `${NAME}` references in `env`.
 *
 * @throws {AgentError} KS_AGENT_CONFIG_INVALID, with one detail line per problem.
 */
export function parseConfig(text: string, path: string, env: Env): AgentConfig {
  const resolved = resolveConfig(parseRawConfig(text, path), path, env)
  if ('problems' in resolved) throw invalid(path, resolved.problems)
  return resolved.config
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
