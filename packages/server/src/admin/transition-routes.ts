import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Transition } from '../transition/create.ts'
import type { TransitionSettingsValue } from '../transition/settings.ts'
import { iso, isoAt } from '../transition/time.ts'
import { parseBody } from './schemas.ts'
import { revokeBody, settingsBody } from './transition-schemas.ts'
import type { AuditList, BrownoutView, TransitionSettingsView } from './wire.ts'

/** The transition under /admin/v1/transition (docs/TRANSITION.md): reports, settings, revoke, audit. */
export function registerTransitionRoutes(app: FastifyInstance, transition: Transition): void {
  const { reports, settings, revoker, audit } = transition

  app.get('/transition/review', async function transitionReview() {
    return reports.review()
  })

  app.get('/transition/plan', async function transitionPlan() {
    return reports.plan()
  })

  app.get('/transition/status', async function transitionStatus() {
    return reports.status()
  })

  app.get('/transition/usage', async function transitionUsage() {
    return reports.usagePerDay()
  })

  app.get('/transition/audit', async function transitionAudit(): Promise<AuditList> {
    return { entries: await audit.list() }
  })

  app.get('/transition/settings', async function transitionSettings() {
    await settings.load()
    return settingsView(settings.current)
  })

  app.put('/transition/settings', async function updateTransitionSettings(request) {
    const body = parseBody(settingsBody, request.body)
    const updated = await settings.update({
      quietPeriodSeconds: body.quiet_period_seconds,
      deprecationAt: body.deprecation_at,
      sunsetAt: body.sunset_at,
      documentationUrl: body.documentation_url,
      brownouts: body.brownouts?.map((b) => ({
        startsAt: b.starts_at,
        endsAt: b.ends_at,
        apiKeyId: b.api_key_id ?? null,
      })),
    })
    request.log.info({ actor: actorOf(request) }, 'transition settings changed')
    return settingsView(updated)
  })

  app.post('/transition/revoke', async function transitionRevoke(request) {
    const body = parseBody(revokeBody, request.body)
    const selection = body.all_ready ? { allReady: true as const } : { apiKeyIds: body.api_key_ids ?? [] }
    const answer = await revoker.revoke(selection, {
      dryRun: body.dry_run,
      force: body.force,
      actor: actorOf(request),
    })
    const revoked = answer.results.filter((r) => r.revoked).map((r) => r.api_key_id)
    if (revoked.length > 0) request.log.info({ api_key_ids: revoked, force: body.force }, 'API keys revoked')
    return answer
  })
}

/** The admin user who signed the request in (admin/auth.ts). */
export function actorOf(request: FastifyRequest): string {
  return request.adminUser ?? 'unknown'
}

function settingsView(value: TransitionSettingsValue): TransitionSettingsView {
  return {
    quiet_period_seconds: value.quietPeriodSeconds,
    deprecation_at: iso(value.deprecationAt),
    sunset_at: iso(value.sunsetAt),
    documentation_url: value.documentationUrl,
    brownouts: value.brownouts.map(
      (b): BrownoutView => ({
        id: b.id,
        starts_at: isoAt(b.startsAt),
        ends_at: isoAt(b.endsAt),
        api_key_id: b.apiKeyId,
      }),
    ),
  }
}
