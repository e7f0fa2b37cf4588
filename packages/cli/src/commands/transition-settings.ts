/**
 * `keyshift transition settings show | set`: the instance's transition settings
 * (`/admin/v1/transition/settings`): the quiet period, the Deprecation and Sunset dates, the
 * documentation URL and the brownouts. The server checks every value; its 400 answers are shown as
 * they come (KS_ADMIN_INVALID_REQUEST, one line per field).
 */
import type { TransitionSettingsView } from '@keyshift/server/admin-api'
import {
  type Command,
  type CommandGroup,
  type Context,
  flagArg,
  type ParsedArgs,
  repeatedArg,
  stringArg,
} from '../command.ts'
import { CliError } from '../errors.ts'
import type { SettingsChanges } from '../transition/api.ts'
import { resolveKeyIds } from '../transition/key-refs.ts'
import {
  type Brownout,
  brownoutSpec,
  formatSettings,
  isoTime,
  parseDuration,
} from '../transition/settings.ts'
import {
  forEachTarget,
  type Target,
  TRANSITION_ENVIRONMENT,
  TRANSITION_OPTIONS,
  transitionTargets,
} from '../transition/targets.ts'

const PATH = 'keyshift transition settings'

function usage(message: string, command: string): CliError {
  return new CliError('KS_USAGE', `${message}; run '${PATH} ${command} --help'`)
}

async function runShow(context: Context, args: ParsedArgs): Promise<void> {
  const targets = await transitionTargets(context, args, `${PATH} show`)
  await forEachTarget(context, args, targets, async function showStep(target) {
    const settings = await target.api.settings()
    return { answer: settings, text: formatSettings(settings) }
  })
}

/** A value and its `--clear-…` flag: the value, null to clear, undefined to keep. */
function valueOrClear(
  args: ParsedArgs,
  name: string,
  map: (value: string) => string,
): string | null | undefined {
  const value = stringArg(args, name)
  const clear = flagArg(args, `clear-${name}`)
  if (value !== undefined && clear) throw usage(`give --${name} or --clear-${name}, not both`, 'set')
  if (clear) return null
  return value === undefined ? undefined : map(value)
}

function parseBrownout(text: string): Brownout {
  const brownout = brownoutSpec(text)
  if (brownout === undefined) {
    throw usage('--brownout must be START/END or START/END/KEY (ISO 8601 times, KEY an API key)', 'set')
  }
  return brownout
}

interface SettingsRequest {
  changes: SettingsChanges
  brownouts: Brownout[] | undefined
}

function settingsRequest(args: ParsedArgs): SettingsRequest {
  const changes: SettingsChanges = {}
  const period = stringArg(args, 'quiet-period')
  if (period !== undefined) {
    const seconds = parseDuration(period)
    if (seconds === undefined)
      throw usage('--quiet-period must be a duration such as 7d, 36h or 3600s', 'set')
    changes.quiet_period_seconds = seconds
  }
  const deprecation = valueOrClear(args, 'deprecation-date', isoTime)
  if (deprecation !== undefined) changes.deprecation_at = deprecation
  const sunset = valueOrClear(args, 'sunset-date', isoTime)
  if (sunset !== undefined) changes.sunset_at = sunset
  const documentation = valueOrClear(args, 'documentation-url', (value) => value)
  if (documentation !== undefined) changes.documentation_url = documentation
  const given = repeatedArg(args, 'brownout')
  const clear = flagArg(args, 'clear-brownouts')
  if (given.length > 0 && clear) throw usage('give --brownout or --clear-brownouts, not both', 'set')
  const brownouts = clear ? [] : given.length > 0 ? given.map(parseBrownout) : undefined
  if (Object.keys(changes).length === 0 && brownouts === undefined) {
    throw usage(
      'nothing to change: give --quiet-period, --deprecation-date, --sunset-date, --brownout, …',
      'set',
    )
  }
  return { changes, brownouts }
}

const FIELD_FLAGS =
  'quiet_period_seconds is --quiet-period, deprecation_at --deprecation-date, sunset_at --sunset-date, documentation_url --documentation-url, brownouts.N the Nth --brownout (from 0)'

async function changesFor(request: SettingsRequest, target: Target): Promise<SettingsChanges> {
  if (request.brownouts === undefined) return request.changes
  const refs = request.brownouts.flatMap((b) => (b.key === undefined ? [] : [b.key]))
  const ids = await resolveKeyIds(refs, () => target.api.listApiKeys(), 'KEY of --brownout')
  let next = 0
  const brownouts = request.brownouts.map((b) => ({
    starts_at: b.starts_at,
    ends_at: b.ends_at,
    api_key_id: b.key === undefined ? null : (ids[next++] ?? null),
  }))
  return { ...request.changes, brownouts }
}

async function runSet(context: Context, args: ParsedArgs): Promise<void> {
  const request = settingsRequest(args)
  const targets = await transitionTargets(context, args, `${PATH} set`)
  if (targets.length !== 1) throw usage('set changes one instance: add --instance NAME', 'set')
  await forEachTarget(context, args, targets, async function setStep(target) {
    let settings: TransitionSettingsView
    try {
      settings = await target.api.updateSettings(await changesFor(request, target))
    } catch (error) {
      if (!(error instanceof CliError) || error.code !== 'KS_ADMIN_INVALID_REQUEST') throw error
      throw new CliError(error.code, error.message, {
        cause: error,
        details: error.details,
        hint: FIELD_FLAGS,
      })
    }
    return { answer: settings, text: `Settings changed.\n${formatSettings(settings)}` }
  })
}

const showCommand: Command = {
  kind: 'command',
  name: 'show',
  summary: 'Show the quiet period, Deprecation and Sunset dates, documentation URL and brownouts',
  usage: '[--url URL | --config FILE [--instance NAME]] [options]',
  options: TRANSITION_OPTIONS,
  environment: TRANSITION_ENVIRONMENT,
  run: runShow,
}

const setCommand: Command = {
  kind: 'command',
  name: 'set',
  summary: 'Change transition settings; what is not given keeps its value',
  usage:
    '[--quiet-period 7d] [--deprecation-date ISO] [--sunset-date ISO] [--documentation-url URL] [--brownout START/END[/KEY] …] [--clear-…] [options]',
  description: [
    'Times are ISO 8601 with an offset (2026-12-01T09:00:00Z); a date alone is 00:00 UTC that day.',
    'The Deprecation and Sunset dates are announced to API-key callers in headers (RFC 9745, RFC 8594);',
    'the sunset must not come before the deprecation. Brownouts refuse API-key calls for a while, every',
    "key's or one KEY's (id, start of the id, or name): the --brownout options given replace the whole",
    'list, so give again the ones to keep (see `settings show`). The server checks every value and names',
    'the field it refuses.',
  ],
  options: {
    ...TRANSITION_OPTIONS,
    'quiet-period': {
      type: 'string',
      value: 'DURATION',
      description: "how long a key must stay unused after its client's first call: 7d, 36h, 3600s",
    },
    'deprecation-date': { type: 'string', value: 'ISO', description: 'when API keys are deprecated' },
    'sunset-date': { type: 'string', value: 'ISO', description: 'when API keys stop working' },
    'documentation-url': {
      type: 'string',
      value: 'URL',
      description: 'the page API-key callers are pointed to (https)',
    },
    brownout: {
      type: 'string',
      value: 'START/END[/KEY]',
      multiple: true,
      description: 'a window in which API-key calls are refused (repeatable; replaces the list)',
    },
    'clear-deprecation-date': { type: 'boolean', description: 'remove the deprecation date' },
    'clear-sunset-date': { type: 'boolean', description: 'remove the sunset date' },
    'clear-documentation-url': { type: 'boolean', description: 'remove the documentation URL' },
    'clear-brownouts': { type: 'boolean', description: 'remove every brownout' },
  },
  environment: TRANSITION_ENVIRONMENT,
  examples: [
    `${PATH} set --quiet-period 14d --deprecation-date 2027-01-01 --sunset-date 2027-06-30`,
    `${PATH} set --brownout 2027-03-01T09:00:00Z/2027-03-01T10:00:00Z`,
  ],
  run: runSet,
}

export const settingsGroup: CommandGroup = {
  kind: 'group',
  name: 'settings',
  summary: 'Show or change the quiet period, Deprecation and Sunset dates, brownouts',
  commands: [showCommand, setCommand],
}
