import type { FastifyInstance, FastifyRequest } from 'fastify'
import {
  auditEntryView,
  planView,
  reviewView,
  revokeView,
  settingsView,
  statusView,
  usagePerDayView,
} from '../contract/views.ts'
import type { AuditList, Plan, Review, RevokeAnswer, Status, UsagePerDay } from '../contract/wire.ts'
import type { Transition } from '../transition/create.ts'
import { parseBody } from './schemas.ts'
import { revokeBody, settingsBody } from './transition-schemas.ts'

/** The transition under /admin/v1/transition (docs/TRANSITION.md): reports, settings, revoke, audit. */
export function registerTransitionRoutes(app: FastifyInstance, transition: Transition): void {
  const { reports, settings, revoker, audit } = transition

  app.get('/transition/review', async function transitionReview(): Promise<Review> {
    return reviewView(await reports.review())
  })

  app.get('/transition/plan', async function transitionPlan(): Promise<Plan> {
    return planView(await reports.plan())
  })

  app.get('/transition/status', async function transitionStatus(): Promise<Status> {
    return statusView(await reports.status())
  })

  app.get('/transition/usage', async function transitionUsage(): Promise<UsagePerDay> {
    return usagePerDayView(await reports.usagePerDay())
  })

  app.get('/transition/audit', async function transitionAudit(): Promise<AuditList> {
    return { entries: (await audit.list()).map(auditEntryView) }
  })

  app.get('/transition/settings', async function transitionSettings() {
    await settings.load()
    return settingsView(settings.current)
  })

  app.put('/transition/settings', async function updateTransitionSettings(request) {
    const updated = await settings.update(parseBody(settingsBody, request.body))
    request.log.info({ actor: actorOf(request) }, 'transition settings changed')
    return settingsView(updated)
  })

  app.post('/transition/revoke', async function transitionRevoke(request): Promise<RevokeAnswer> {
    const body = parseBody(revokeBody, request.body)
    const selection = body.allReady ? { allReady: true as const } : { apiKeyIds: body.apiKeyIds ?? [] }
    const report = await revoker.revoke(selection, {
      dryRun: body.dryRun,
      force: body.force,
      actor: actorOf(request),
      via: 'transition',
    })
    const revoked = report.results.filter((r) => r.revoked).map((r) => r.key.id)
    if (revoked.length > 0) request.log.info({ api_key_ids: revoked, force: body.force }, 'API keys revoked')
    return revokeView(report)
  })
}

/** The admin user who signed the request in (admin/auth.ts). */
export function actorOf(request: FastifyRequest): string {
  return request.adminUser ?? 'unknown'
}
