/**
 * `keyshift transition …`: steps 1 and 6 of the OAuth 2.0 transition guide and everything between
 * them (docs/TRANSITION.md): review the API keys, plan their clients, apply the plan, follow the
 * status, revoke. Each runs on `--url`, or on every instance of `--config keyshift.yaml`.
 */
import { existsSync } from 'node:fs'
import type { RevokeAnswer, RevokeRequest } from '@keyshift/server/admin-api'
import {
  type Command,
  type CommandGroup,
  type Context,
  flagArg,
  type ParsedArgs,
  stringArg,
} from '../command.ts'
import { CliError } from '../errors.ts'
import { planFileExists, planFileText, writePlanFile } from '../transition/plan-file.ts'
import { formatPlan, formatReview, formatRevoke, formatStatus } from '../transition/render.ts'
import {
  forEachTarget,
  TRANSITION_ENVIRONMENT,
  TRANSITION_OPTIONS,
  transitionTargets,
} from '../transition/targets.ts'
import { applyCommand } from './transition-apply.ts'

const PATH = 'keyshift transition'

function usage(message: string, command: string): CliError {
  return new CliError('KS_USAGE', `${message}; run '${PATH} ${command} --help'`)
}

async function runReview(context: Context, args: ParsedArgs): Promise<void> {
  const targets = await transitionTargets(context, args, `${PATH} review`)
  await forEachTarget(context, args, targets, async function reviewStep(target) {
    const review = await target.api.review()
    return { answer: review, text: formatReview(review) }
  })
}

async function runPlan(context: Context, args: ParsedArgs): Promise<void> {
  const out = stringArg(args, 'out')
  const force = flagArg(args, 'force')
  const targets = await transitionTargets(context, args, `${PATH} plan`)
  if (out !== undefined && targets.length !== 1) {
    throw usage('--out writes the plan of one instance: choose one of --config with --instance', 'plan')
  }
  // Checked again when written; checked now so as not to ask the instance for nothing.
  if (out !== undefined && !force && existsSync(out)) throw planFileExists(out)
  await forEachTarget(context, args, targets, async function planStep(target) {
    const plan = await target.api.plan()
    if (out === undefined) return { answer: plan, text: formatPlan(plan) }
    await writePlanFile(out, planFileText(plan, target.url), force)
    const next = `\nPlan written to ${out}. Edit it, then: keyshift transition apply --plan ${out}\n`
    return { answer: plan, text: `${formatPlan(plan)}${next}` }
  })
}

async function runStatus(context: Context, args: ParsedArgs): Promise<void> {
  const targets = await transitionTargets(context, args, `${PATH} status`)
  await forEachTarget(context, args, targets, async function statusStep(target) {
    const status = await target.api.status()
    return { answer: status, text: formatStatus(status) }
  })
}

function revokeRequest(args: ParsedArgs): RevokeRequest {
  const ids = args.positionals
  const all = flagArg(args, 'all-ready')
  if (all && ids.length > 0) throw usage('give --all-ready or KEY_IDs, not both', 'revoke')
  if (!all && ids.length === 0) throw usage('give --all-ready or the ids of the keys to revoke', 'revoke')
  if (
    ids.length > 0 &&
    stringArg(args, 'config') !== undefined &&
    stringArg(args, 'instance') === undefined
  ) {
    throw usage('KEY_IDs are the keys of one instance: add --instance NAME (or use --all-ready)', 'revoke')
  }
  return {
    ...(all ? { all_ready: true } : { api_key_ids: ids }),
    ...(flagArg(args, 'dry-run') && { dry_run: true }),
    ...(flagArg(args, 'force') && { force: true }),
  }
}

function refusal(answer: RevokeAnswer): CliError | undefined {
  const refused = answer.results.filter((result) => result.refused !== null)
  if (refused.length === 0) return undefined
  const what = answer.dry_run ? 'would be refused' : 'refused'
  return new CliError(
    'KS_TRANSITION_REFUSED',
    `${refused.length} of ${answer.results.length} key(s) ${what}: not ready_to_revoke`,
    {
      details: refused.map((result) => `${result.api_key_name} (${result.api_key_id}): ${result.refused}`),
      hint: 'see `keyshift transition status`; --force revokes anyway, and the calls still made with the key then fail',
    },
  )
}

async function runRevoke(context: Context, args: ParsedArgs): Promise<void> {
  const body = revokeRequest(args)
  const targets = await transitionTargets(context, args, `${PATH} revoke`)
  await forEachTarget(context, args, targets, async function revokeStep(target) {
    const answer = await target.api.revoke(body)
    return { answer, text: formatRevoke(answer), failure: refusal(answer) }
  })
}

function transitionCommand(
  name: string,
  summary: string,
  run: Command['run'],
  extra: Partial<Command> = {},
): Command {
  return {
    kind: 'command',
    name,
    summary,
    usage: '[--url URL | --config FILE [--instance NAME]] [options]',
    options: TRANSITION_OPTIONS,
    environment: TRANSITION_ENVIRONMENT,
    run,
    ...extra,
  }
}

export const transitionGroup: CommandGroup = {
  kind: 'group',
  name: 'transition',
  summary: 'Move integrations from API keys to OAuth clients: review, plan, apply, status, revoke',
  commands: [
    transitionCommand(
      'review',
      'Every API key: contact, last use, calls over 1/7/30 days, category, resources it called',
      runReview,
    ),
    transitionCommand(
      'plan',
      'A least-privilege OAuth client per key in use, in phases; --out writes the plan file',
      runPlan,
      {
        usage: '[--out plan.yaml [--force]] [--url URL | --config FILE [--instance NAME]] [options]',
        options: {
          ...TRANSITION_OPTIONS,
          out: { type: 'string', value: 'FILE', description: 'write the plan file to edit and apply (YAML)' },
          force: { type: 'boolean', description: 'write over an existing --out file' },
        },
      },
    ),
    applyCommand,
    transitionCommand(
      'status',
      'Per key: in_use, migrating, ready_to_revoke or revoked, and since when',
      runStatus,
    ),
    transitionCommand(
      'revoke',
      'Revoke keys that are ready_to_revoke; --dry-run shows the calls that would fail',
      runRevoke,
      {
        usage: '(--all-ready | KEY_ID…) [--dry-run] [--force] [--url URL | --config FILE] [options]',
        positionals: [
          { name: 'key-id', description: 'the id of an API key to revoke (zero or more)', repeatable: true },
        ],
        description: [
          'A key that is not ready_to_revoke is refused (exit code 1, KS_TRANSITION_REFUSED) unless --force.',
          '--dry-run revokes nothing and lists, per key, the calls of the last 7 days that would have failed.',
        ],
        options: {
          ...TRANSITION_OPTIONS,
          'all-ready': { type: 'boolean', description: 'every key that is ready_to_revoke' },
          'dry-run': {
            type: 'boolean',
            description: 'revoke nothing: show what would be revoked or refused',
          },
          force: { type: 'boolean', description: 'revoke keys that are not ready_to_revoke too' },
        },
      },
    ),
  ],
}
