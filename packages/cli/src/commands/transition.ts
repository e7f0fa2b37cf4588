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
import { parseDurationSeconds } from '../transition/duration.ts'
import { resolveKeyIds } from '../transition/key-refs.ts'
import {
  formatObservedPlan,
  formatObservedReview,
  formatObservedStatus,
  formatObservedVerify,
} from '../transition/observed/render.ts'
import {
  observedPlan,
  observedReview,
  observedStatus,
  observedVerify,
} from '../transition/observed/reports.ts'
import { planFileExists, planFileText, writePlanFile } from '../transition/plan-file.ts'
import { formatPlan, formatReview, formatRevoke, formatStatus } from '../transition/render.ts'
import {
  forEachInstance,
  forEachTarget,
  type Target,
  TRANSITION_ENVIRONMENT,
  TRANSITION_OPTIONS,
  transitionTargets,
} from '../transition/targets.ts'
import { formatKeyshiftVerify, keyshiftVerify } from '../transition/verify.ts'
import { applyCommand } from './transition-apply.ts'
import { linkCommand } from './transition-link.ts'
import { settingsGroup } from './transition-settings.ts'

const PATH = 'keyshift transition'
/** The quiet period of a Coupa instance unless --quiet-period says otherwise: a week, as on Keyshift. */
const DEFAULT_QUIET_PERIOD_SECONDS = 7 * 86_400
const QUIET_PERIOD_OPTION = {
  'quiet-period': {
    type: 'string' as const,
    value: 'DURATION',
    description:
      'Coupa instances: how long without a key call after the move before a key is ready (default 7d)',
  },
}

function usage(message: string, command: string): CliError {
  return new CliError('KS_USAGE', `${message}; run '${PATH} ${command} --help'`)
}

async function runReview(context: Context, args: ParsedArgs): Promise<void> {
  await forEachInstance(context, args, `${PATH} review`, {
    async keyshift(target) {
      const review = await target.api.review()
      return { answer: review, text: formatReview(review) }
    },
    coupa(observed) {
      const review = observedReview(observed)
      return { answer: review, text: formatObservedReview(review) }
    },
  })
}

async function runPlan(context: Context, args: ParsedArgs): Promise<void> {
  const out = stringArg(args, 'out')
  const force = flagArg(args, 'force')
  if (out !== undefined) return writePlan(context, args, out, force)
  await forEachInstance(context, args, `${PATH} plan`, {
    async keyshift(target) {
      const plan = await target.api.plan()
      return { answer: plan, text: formatPlan(plan) }
    },
    coupa(observed) {
      const plan = observedPlan(observed)
      return { answer: plan, text: formatObservedPlan(plan) }
    },
  })
}

/** `plan --out`: the plan file of one Keyshift instance, to edit and apply. */
async function writePlan(context: Context, args: ParsedArgs, out: string, force: boolean): Promise<void> {
  const targets = await transitionTargets(context, args, `${PATH} plan`)
  if (targets.length !== 1) {
    throw usage('--out writes the plan of one instance: choose one of --config with --instance', 'plan')
  }
  // Checked again when written; checked now so as not to ask the instance for nothing.
  if (!force && existsSync(out)) throw planFileExists(out)
  await forEachTarget(context, args, targets, async function planStep(target) {
    const plan = await target.api.plan()
    await writePlanFile(out, planFileText(plan, target.url), force)
    const next = `\nPlan written to ${out}. Edit it, then: keyshift transition apply --plan ${out}\n`
    return { answer: plan, text: `${formatPlan(plan)}${next}` }
  })
}

/** `--quiet-period` of a Coupa instance (a Keyshift instance has its own setting). */
function quietPeriodSeconds(args: ParsedArgs): number {
  const given = stringArg(args, 'quiet-period')
  return given === undefined ? DEFAULT_QUIET_PERIOD_SECONDS : parseDurationSeconds(given, 'quiet-period')
}

async function runStatus(context: Context, args: ParsedArgs): Promise<void> {
  const quiet = quietPeriodSeconds(args)
  await forEachInstance(context, args, `${PATH} status`, {
    async keyshift(target) {
      const status = await target.api.status()
      return { answer: status, text: formatStatus(status) }
    },
    coupa(observed) {
      const status = observedStatus(observed, quiet)
      return { answer: status, text: formatObservedStatus(status) }
    },
  })
}

function regressionFailure(lines: string[], what: string): CliError | undefined {
  if (lines.length === 0) return undefined
  return new CliError('KS_TRANSITION_REGRESSION', `${lines.length} ${what}`, {
    details: lines,
    hint: 'find what still calls with the key before revoking it',
  })
}

async function runVerify(context: Context, args: ParsedArgs): Promise<void> {
  await forEachInstance(context, args, `${PATH} verify`, {
    async keyshift(target) {
      const verify = keyshiftVerify(await target.api.status())
      const lines = verify.regressions.map(
        (key) =>
          `${key.api_key_name} (${key.api_key_id}): last key call ${key.last_key_call_at}, after the client's first call ${key.first_oauth_call_at}`,
      )
      return {
        answer: verify,
        text: formatKeyshiftVerify(verify),
        failure: regressionFailure(lines, "key(s) still called after their client's first call"),
      }
    },
    coupa(observed) {
      const verify = observedVerify(observed)
      const lines = verify.regressions.map(
        (call) =>
          `${call.at} ${call.integration} ${call.method} ${call.path} (${call.status}): key of ${call.flipped}`,
      )
      return {
        answer: verify,
        text: formatObservedVerify(verify),
        failure: regressionFailure(lines, 'call(s) with an API key after its integration moved to OAuth'),
      }
    },
  })
}

function revokeRequest(args: ParsedArgs): RevokeRequest {
  const ids = args.positionals
  const all = flagArg(args, 'all-ready')
  if (all && ids.length > 0) throw usage('give --all-ready or KEYs, not both', 'revoke')
  if (!all && ids.length === 0) throw usage('give --all-ready or the keys to revoke', 'revoke')
  if (
    ids.length > 0 &&
    stringArg(args, 'config') !== undefined &&
    stringArg(args, 'instance') === undefined
  ) {
    throw usage('KEYs are the keys of one instance: add --instance NAME (or use --all-ready)', 'revoke')
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

/** The request with each KEY (a short id or a name) replaced by the key's id on `target`. */
async function withKeyIds(body: RevokeRequest, target: Target): Promise<RevokeRequest> {
  if (!('api_key_ids' in body)) return body
  const ids = await resolveKeyIds(body.api_key_ids, () => target.api.listApiKeys(), 'KEY')
  return { ...body, api_key_ids: ids }
}

async function runRevoke(context: Context, args: ParsedArgs): Promise<void> {
  const body = revokeRequest(args)
  const targets = await transitionTargets(context, args, `${PATH} revoke`)
  await forEachTarget(context, args, targets, async function revokeStep(target) {
    const answer = await target.api.revoke(await withKeyIds(body, target))
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
  summary:
    'Move integrations from API keys to OAuth clients: review, plan, apply, link, status, settings, revoke',
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
    linkCommand,
    transitionCommand(
      'status',
      'Per key: in_use, migrating, ready_to_revoke or revoked, and since when (Coupa: per integration)',
      runStatus,
      { options: { ...TRANSITION_OPTIONS, ...QUIET_PERIOD_OPTION } },
    ),
    transitionCommand(
      'verify',
      'Calls made with an API key after its integration moved to OAuth (exit code 1 if any)',
      runVerify,
    ),
    settingsGroup,
    transitionCommand(
      'revoke',
      'Revoke keys that are ready_to_revoke; --dry-run shows the calls that would fail',
      runRevoke,
      {
        usage: '(--all-ready | KEY…) [--dry-run] [--force] [--url URL | --config FILE] [options]',
        positionals: [
          {
            name: 'key',
            description:
              'an API key to revoke: its id, the start of its id as the tables show it, or its name (zero or more)',
            repeatable: true,
          },
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
