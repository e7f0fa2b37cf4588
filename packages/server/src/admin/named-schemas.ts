/**
 * The bodies and answers of the admin API by their names in its OpenAPI description (openapi.ts),
 * each declared once: the zod schemas the routes parse with (schemas.ts, transition-schemas.ts) and
 * those that give exactly the wire types (contract/wire-schemas.ts).
 */
import { z } from 'zod'
import type {
  ApiKeyRevokeRequest,
  ClientChanges,
  CustomFieldChanges,
  NewApiKey,
  NewClient,
  NewCustomField,
  SecretRotation,
} from '../contract/wire.ts'
import * as wire from '../contract/wire-schemas.ts'
import {
  apiKeyCreateBody,
  clientCreateBody,
  clientUpdateBody,
  customFieldCreateBody,
  customFieldUpdateBody,
  secretRotationBody,
  signInBody,
} from './schemas.ts'
import {
  apiKeyRevokeBody,
  replacementBody,
  revokeBody,
  settingsBody,
  signalsBody,
} from './transition-schemas.ts'

/** The request bodies, by their name in the document; read as the routes parse them. */
export const BODIES = {
  SignIn: signInBody,
  NewClient: clientCreateBody,
  ClientChanges: clientUpdateBody,
  SecretRotation: secretRotationBody,
  NewApiKey: apiKeyCreateBody,
  ApiKeyReplacement: replacementBody,
  ApiKeyRevokeRequest: apiKeyRevokeBody,
  ApiKeySignals: signalsBody,
  TransitionSettingsChanges: settingsBody,
  NewCustomField: customFieldCreateBody,
  CustomFieldChanges: customFieldUpdateBody,
  RevokeRequest: revokeBody.describe('Send either `api_key_ids` or `"all_ready": true`.'),
} satisfies Record<string, z.ZodType>

// The bodies the CLI and the Setup pages build (wire.ts) are exactly what the routes take.
// (RevokeRequest is a union that the schema checks with a refinement, so it cannot be compared.)
const _bodiesMatchWire: [
  wire.Equal<z.input<typeof clientCreateBody>, NewClient>,
  wire.Equal<z.input<typeof clientUpdateBody>, ClientChanges>,
  wire.Equal<z.input<typeof apiKeyCreateBody>, NewApiKey>,
  wire.Equal<z.input<typeof secretRotationBody>, SecretRotation | undefined>,
  wire.Equal<z.input<typeof apiKeyRevokeBody>, ApiKeyRevokeRequest | undefined>,
  wire.Equal<z.input<typeof customFieldCreateBody>, NewCustomField>,
  wire.Equal<z.input<typeof customFieldUpdateBody>, CustomFieldChanges>,
] = [true, true, true, true, true, true, true]

/** The answers, by their name in the document (the wire type's name). */
export const ANSWERS = {
  Problem: wire.problem,
  ApiKeyNotReadyProblem: wire.apiKeyNotReadyProblem,
  SessionView: wire.sessionView,
  ClientView: wire.clientView,
  CreatedClientView: wire.createdClientView,
  ClientList: wire.clientList,
  RotatedSecret: wire.rotatedSecret,
  ScopeView: wire.scopeView,
  ScopeList: wire.scopeList,
  SigningKeyView: wire.signingKeyView,
  SigningKeyList: wire.signingKeyList,
  RotatedSigningKey: wire.rotatedSigningKey,
  ApiKeyView: wire.apiKeyView,
  CreatedApiKeyView: wire.createdApiKeyView,
  ApiKeyList: wire.apiKeyList,
  IntegrationHistory: wire.integrationHistory,
  Review: wire.review,
  Plan: wire.plan,
  Status: wire.status,
  UsagePerDay: wire.usagePerDay,
  AuditList: wire.auditList,
  TransitionSettingsView: wire.transitionSettingsView,
  RevokeAnswer: wire.revokeAnswer,
  CustomFieldView: wire.customFieldView,
  CustomFieldList: wire.customFieldList,
  OpenApiDocument: z.record(z.string(), z.unknown()).describe('An OpenAPI 3.1 document: this one.'),
} satisfies Record<string, z.ZodType>

// One namespace in the document (components.schemas): a body and an answer never share a name.
const _distinctNames: [keyof typeof BODIES & keyof typeof ANSWERS] extends [never] ? true : false = true
