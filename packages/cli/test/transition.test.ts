import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, beforeEach, describe, it } from 'node:test'
import { parse } from 'yaml'
import {
  ADMIN_PASSWORD,
  createFakeTransition,
  INVOICE_ID,
  OLD_ID,
  PLAN,
  REVIEW,
  STATUS,
  SUPPLIER_ID,
} from './fake-transition.ts'
import { type FakeServer, fakeServer, run } from './helpers.ts'

describe('keyshift transition review, plan, status and revoke (docs/TRANSITION.md)', () => {
  let server: FakeServer
  let dir: string
  before(async () => {
    server = await fakeServer(createFakeTransition().respond)
    dir = mkdtempSync(join(tmpdir(), 'keyshift-transition-'))
  })
  after(() => server.close())
  beforeEach(() => {
    server.requests.length = 0
  })

  function transition(args: string[]) {
    return run(['transition', ...args, '--url', server.url], { KEYSHIFT_ADMIN_PASSWORD: ADMIN_PASSWORD })
  }

  it('review: one row per key with its short id, contact login, last use, calls 1d/7d/30d, category and top resources', async () => {
    const result = await transition(['review'])
    assert.equal(result.code, 0, result.stderr)
    const [header, supplier, invoice, old] = result.stdout.split('\n')
    assert.match(
      header ?? '',
      /^ID +NAME +CONTACT LOGIN +STATE +LAST USED +1D +7D +30D +CATEGORY +TOP RESOURCES$/,
    )
    assert.match(
      supplier ?? '',
      /^11111111 +Supplier sync +supplier-sync +active +2026-11-27T11:00:00.000Z +12 +80 +300 +master_data +/,
    )
    assert.ok(
      supplier?.endsWith('suppliers#index (250), suppliers#update (30), suppliers#show (15), +1 more'),
      supplier,
    )
    assert.match(invoice ?? '', /transactional +invoices#index \(90\)$/)
    assert.match(old ?? '', /^33333333 +Old report +old-report +active +never +0 +0 +0 +unused +-$/)
    assert.equal(server.requests[0]?.url, '/admin/v1/transition/review')
  })

  it('review --json: the answer of the API as is', async () => {
    const result = await transition(['review', '--json'])
    assert.deepEqual(JSON.parse(result.stdout), REVIEW)
  })

  it('plan: action, phase, client login, scopes and reason per key', async () => {
    const result = await transition(['plan'])
    assert.equal(result.code, 0, result.stderr)
    const lines = result.stdout.split('\n')
    assert.match(lines[0] ?? '', /^NAME +ACTION +PHASE +CLIENT LOGIN +SCOPES +REASON$/)
    assert.match(
      lines[1] ?? '',
      /^Supplier sync +replace +1 +supplier-sync +core.supplier.read core.supplier.write +used/,
    )
    assert.match(lines[3] ?? '', /^Old report +revoke +- +- +- +no call in the last 30 days$/)
    assert.deepEqual(JSON.parse((await transition(['plan', '--json'])).stdout), PLAN)
  })

  it('plan --out: writes the plan file of the contract, with instance and integration', async () => {
    const out = join(dir, 'plan.yaml')
    const result = await transition(['plan', '--out', out])
    assert.equal(result.code, 0, result.stderr)
    assert.match(
      result.stdout,
      /Plan written to .*plan\.yaml\. Edit it, then: keyshift transition apply --plan /,
    )
    const text = readFileSync(out, 'utf8')
    assert.match(
      text,
      /^ {2}- api_key_id: 11111111-1111-4111-8111-111111111111\n {4}api_key_name: Supplier sync\n {4}action: replace # replace \| link \| revoke \| skip\n {4}phase: 1\n {4}client:\n {6}name: Supplier sync\n {6}login: supplier-sync\n {4}scopes: \[core.supplier.read, core.supplier.write\]\n {4}integration: supplier-sync\n/m,
    )
    assert.match(text, /# used suppliers#index, suppliers#update in the last 30 days\n/)
    assert.deepEqual(parse(text), {
      instance: server.url,
      generated_at: PLAN.generated_at,
      keys: PLAN.keys.map(({ reason: _reason, ...key }) => ({
        ...key,
        ...(key.client && { integration: key.client.login }),
      })),
    })
  })

  it('plan --out: refuses an existing file before asking the instance, unless --force', async () => {
    const out = join(dir, 'edited.yaml')
    writeFileSync(out, '# my edits\n')
    const refused = await transition(['plan', '--out', out])
    assert.equal(refused.code, 1)
    assert.match(
      refused.stderr,
      /^keyshift: KS_FILE_EXISTS: .*edited\.yaml already exists; it was left as it is\nhint: give --force/,
    )
    assert.equal(readFileSync(out, 'utf8'), '# my edits\n')
    assert.equal(server.requests.length, 0)
    const forced = await transition(['plan', '--out', out, '--force'])
    assert.equal(forced.code, 0, forced.stderr)
    assert.match(readFileSync(out, 'utf8'), /^instance: /m)
  })

  it('status: short id, state, replacement client, first OAuth call, last key call, ready at, reason', async () => {
    const result = await transition(['status'])
    assert.equal(result.code, 0, result.stderr)
    const lines = result.stdout.split('\n')
    assert.match(
      lines[0] ?? '',
      /^ID +NAME +STATE +REPLACEMENT CLIENT +FIRST OAUTH CALL +LAST KEY CALL +READY AT +REASON$/,
    )
    assert.match(
      lines[1] ?? '',
      /^11111111 +Supplier sync +ready_to_revoke +Supplier sync +2026-11-01T00:00:00.000Z +2026-10-31T23:00:00.000Z +2026-11-08T00:00:00.000Z +no call with the key for the quiet period after the client’s first call$/,
    )
    assert.match(
      lines[2] ?? '',
      /^22222222 +Invoice export +migrating +Invoice export +2026-11-20T00:00:00.000Z +2026-11-26T08:00:00.000Z +- +calls with the key after the client’s first call$/,
    )
    assert.match(
      lines[3] ?? '',
      /^33333333 +Old report +ready_to_revoke +- +- +- +2026-10-28T00:00:00.000Z +-$/,
    )
    assert.match(result.stdout, /Quiet period: 7 days without a key call/)
    assert.deepEqual(JSON.parse((await transition(['status', '--json'])).stdout), STATUS)
  })

  it('revoke --all-ready: POSTs all_ready and prints each key revoked', async () => {
    const result = await transition(['revoke', '--all-ready'])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(JSON.parse(server.requests[0]?.body ?? ''), { all_ready: true })
    assert.equal(result.stdout, `revoked  Supplier sync (${SUPPLIER_ID})\nrevoked  Old report (${OLD_ID})\n`)
  })

  it('revoke KEY_ID…: a key that is not ready is refused with its reason, exit 1, KS_TRANSITION_REFUSED', async () => {
    const result = await transition(['revoke', SUPPLIER_ID, INVOICE_ID])
    assert.equal(result.code, 1)
    assert.deepEqual(JSON.parse(server.requests[0]?.body ?? ''), { api_key_ids: [SUPPLIER_ID, INVOICE_ID] })
    assert.equal(
      result.stdout,
      `revoked  Supplier sync (${SUPPLIER_ID})\nrefused  Invoice export (${INVOICE_ID}): migrating: calls with the key after the client’s first call\n`,
    )
    assert.match(
      result.stderr,
      /^keyshift: KS_TRANSITION_REFUSED: 1 of 2 key\(s\) refused: not ready_to_revoke\n {2}Invoice export \(2{8}-/,
    )
  })

  it('revoke --dry-run: lists the calls that would have failed, counted since the client’s first call; --force is sent', async () => {
    const result = await transition(['revoke', INVOICE_ID, '--dry-run', '--force'])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(JSON.parse(server.requests[0]?.body ?? ''), {
      api_key_ids: [INVOICE_ID],
      dry_run: true,
      force: true,
    })
    assert.equal(
      result.stdout,
      `would revoke  Invoice export (${INVOICE_ID})\n  calls since its client's first call at 2026-11-20T00:00:00.000Z that would have failed: 20 (invoices#index 20)\n\nDry run: nothing was revoked.\n`,
    )
  })

  it('revoke --json: the answer as is, and still exit 1 when a key is refused', async () => {
    const result = await transition(['revoke', INVOICE_ID, '--json'])
    assert.equal(result.code, 1)
    const answer = JSON.parse(result.stdout) as { results: { refused: string | null }[] }
    assert.match(answer.results[0]?.refused ?? '', /^migrating: /)
    assert.match(result.stderr, /KS_TRANSITION_REFUSED/)
  })

  it('revoke needs --all-ready or KEY_IDs, not both, and sends nothing otherwise', async () => {
    for (const args of [['revoke'], ['revoke', '--all-ready', SUPPLIER_ID]]) {
      const result = await transition(args)
      assert.equal(result.code, 2)
      assert.match(result.stderr, /^keyshift: KS_USAGE: give --all-ready or /)
    }
    assert.equal(server.requests.length, 0)
  })
})
