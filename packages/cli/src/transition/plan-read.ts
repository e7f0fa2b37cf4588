/**
 * Reads a plan file for `keyshift transition apply`: the whole file is checked before anything is
 * sent, and every problem is named by line and field: `plan.yaml:7: keys[0].scopes: must be a list
 * of scope names`.
 */
import { readFile } from 'node:fs/promises'
import type { PlanAction, PlanClient } from '@keyshift/server/admin-api'
import { type Document, LineCounter, parseDocument } from 'yaml'
import { NAME_PATTERN } from '../agent/config/schema.ts'
import { CliError } from '../errors.ts'
import { readFailure } from '../files.ts'
import { type PlanFileShape, type PlanProblem, ruleProblems, shapeProblems } from './plan-schema.ts'
import { lineOf, pathText } from './yaml-lines.ts'

/** What a plan says to do with a key; `link`: to an OAuth client that exists already. */
export type PlannedAction = PlanAction | 'link'

/** The existing client a `link` key is linked to: by client_id, else by login. */
export interface PlannedLink {
  client_id: string | undefined
  login: string | undefined
  name: string | undefined
  scopes: string[]
  /** The agent integration to add, when the plan names one or the client's login can. */
  integration: string | undefined
}

/** A key of the plan, checked. A `replace` has its client, scopes and integration name. */
export interface PlannedKey {
  api_key_id: string
  api_key_name: string
  action: PlannedAction
  phase: number | null
  replacement: { client: PlanClient; scopes: string[]; integration: string } | undefined
  link: PlannedLink | undefined
}

export interface PlanFile {
  /** The instance the plan was made for (`instance:`), if the file says. */
  instance: string | undefined
  keys: PlannedKey[]
}

interface Located {
  line: number
  text: string
}

async function readPlanText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    throw new CliError('KS_USAGE', `cannot read the plan ${file} (${readFailure(error)})`, {
      cause: error,
      hint: 'write one with `keyshift transition plan --out plan.yaml`',
    })
  }
}

/** YAML errors, first line of each message only (the others quote the source). */
function syntaxProblems(document: Document, lines: LineCounter): Located[] {
  return document.errors.map(function syntaxProblem(error): Located {
    const position = lines.linePos(error.pos[0])
    const message = (error.message.split('\n')[0] ?? 'invalid YAML').replace(/ at line .*$/, '')
    return { line: position.line, text: `invalid YAML (column ${position.col}): ${message}` }
  })
}

function located(document: Document, lines: LineCounter, problems: PlanProblem[]): Located[] {
  return problems.map((problem) => ({
    line: lineOf(document, lines, problem.path),
    text: `${pathText(problem.path)}: ${problem.message}`,
  }))
}

/** The keys of a plan whose shape and rules hold. */
export function plannedKeys(plan: PlanFileShape): PlannedKey[] {
  return plan.keys.map(function plannedKey(key): PlannedKey {
    const { name, login, client_id } = key.client ?? {}
    const replacement =
      key.action === 'replace' && name !== undefined && login !== undefined && key.scopes
        ? { client: { name, login }, scopes: key.scopes, integration: key.integration ?? login }
        : undefined
    const link =
      key.action === 'link' && key.client
        ? {
            client_id,
            login,
            name,
            scopes: key.scopes ?? [],
            integration:
              key.integration ?? (login !== undefined && NAME_PATTERN.test(login) ? login : undefined),
          }
        : undefined
    return {
      api_key_id: key.api_key_id,
      api_key_name: key.api_key_name ?? key.api_key_id,
      action: key.action,
      phase: key.phase ?? null,
      replacement,
      link,
    }
  })
}

function invalid(file: string, problems: Located[]): CliError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`
  const sorted = [...problems].sort((a, b) => a.line - b.line)
  return new CliError('KS_PLAN_INVALID', `the plan ${file} has ${count}; nothing was created`, {
    details: sorted.map((problem) => `${file}:${problem.line}: ${problem.text}`),
    hint: 'fix the plan (or write it again with `keyshift transition plan --out FILE --force`) and run apply again',
  })
}

/**
 * Parses and checks the text of a plan file named `file`.
 *
 * @throws {CliError} KS_PLAN_INVALID with one `file:line: field: problem` detail line per problem.
 */
export function parsePlan(text: string, file: string): PlanFile {
  const lines = new LineCounter()
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines })
  if (document.errors.length > 0) throw invalid(file, syntaxProblems(document, lines))
  const raw: unknown = document.toJS()
  const shape = shapeProblems(raw)
  const problems = [...('problems' in shape ? shape.problems : []), ...ruleProblems(raw)]
  if (problems.length > 0 || 'problems' in shape) throw invalid(file, located(document, lines, problems))
  return { instance: shape.plan.instance, keys: plannedKeys(shape.plan) }
}

/**
 * Reads and checks the plan file at `file`.
 *
 * @throws {CliError} KS_USAGE when it cannot be read; KS_PLAN_INVALID (see parsePlan).
 */
export async function readPlan(file: string): Promise<PlanFile> {
  return parsePlan(await readPlanText(file), file)
}
