/**
 * The catalogue, the ground floor of the server: every scope, every core API resource with its
 * fields and actions, and which scope grants which `resource#action`. Declared data only: it imports
 * nothing outside this folder, and the API, auth, the admin API, the transition planner, the docs
 * and the Setup pages (through the admin API) all read it.
 */
export type {
  Action,
  CustomAction,
  FieldDefinition,
  LinesField,
  ReferenceField,
  ReferencesField,
  ResourceDefinition,
  ScalarField,
  ScalarType,
} from './definitions.ts'
export {
  permissionTable,
  type ResourcePermission,
  resourcePermissions,
  scopeActions,
  scopesWithActions,
} from './grants.ts'
export {
  type NestedParent,
  type NestedPermission,
  nestedActions,
  nestedParents,
  nestedPermissions,
  nestedScope,
} from './nested.ts'
export {
  GRAPHQL_QUERY,
  NO_RESOURCE,
  permissionOfRequest,
  type RequestPermission,
} from './requests.ts'
export { attachments } from './resources/attachments.ts'
export { comments } from './resources/comments.ts'
export { findResource, resources } from './resources/index.ts'
export {
  allScopeNames,
  findScope,
  type Right,
  type ScopeDefinition,
  type ScopeName,
  type ScopeService,
  scopeCatalogue,
} from './scopes.ts'
