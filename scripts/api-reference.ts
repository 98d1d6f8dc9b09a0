import { astFromValue, GraphQLField, GraphQLObjectType, GraphQLSchema, isObjectType, print } from 'graphql';
import { ROLES } from '@kanshi/auth';

// docs/api.md, the reference partners read: every query and mutation of each subgraph with its
// arguments, return type and the roles that may call it, and the error reasons it can answer with.
// Built from each subgraph's in-process schema (SDL printing drops field extensions, where
// @CallableBy records the permission) and its registry of domain errors.

// An operation without @CallableBy: AuthGuard fails closed.
export const ANY_CALLER = 'nobody (the operation declares no @CallableBy, so AuthGuard refuses every role)';

function callers(permission: { action: string; roles: readonly string[] } | null | undefined): string {
  if (!permission) return ANY_CALLER;
  if (ROLES.every((r) => permission.roles.includes(r))) return `every role (to ${permission.action}), each seeing only its own tenant's data`;
  return `${permission.roles.map((r) => `\`${r}\``).join(', ')} (to ${permission.action})`;
}

export interface ArgumentDoc {
  name: string;
  type: string;
  description: string | null;
  defaultValue: string | null;
}

export interface OperationDoc {
  kind: 'query' | 'mutation';
  name: string;
  description: string | null;
  args: ArgumentDoc[];
  returns: string;
  permission: { action: string; roles: string[] } | null;
  // why clients should stop calling it (GraphQL @deprecated); the operation still answers
  deprecated: string | null;
}

export interface ErrorDoc {
  reason: string;
  // the GraphQL `extensions.code` the reason is answered with
  code: string;
  // the error class (defineDomainErrors name) that defines it
  definedBy: string;
}

// A field resolver of a non-root type that checks the caller's role itself (an extending field
// such as Customer.incidents, or a field that reads across domains such as Incident.alerts).
export interface FieldPermissionDoc {
  type: string;
  name: string;
  permission: { action: string; roles: string[] };
}

export interface SubgraphReference {
  operations: OperationDoc[];
  fields?: FieldPermissionDoc[];
  errors: ErrorDoc[];
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function permissionOf(field: GraphQLField<unknown, unknown>): OperationDoc['permission'] {
  const p = (field.extensions as { permission?: { action?: unknown; roles?: unknown } } | undefined)?.permission;
  if (!p || typeof p.action !== 'string' || !Array.isArray(p.roles)) return null;
  return { action: p.action, roles: p.roles.map(String) };
}

function operationsOf(type: GraphQLObjectType | null | undefined, kind: OperationDoc['kind']): OperationDoc[] {
  if (!type) return [];
  return Object.values(type.getFields())
    .filter((f) => !f.name.startsWith('_')) // federation's _entities and _service
    .map((f) => ({
      kind,
      name: f.name,
      description: f.description ?? null,
      args: f.args.map((a) => {
        const dv = a.defaultValue === undefined ? null : astFromValue(a.defaultValue, a.type);
        return { name: a.name, type: String(a.type), description: a.description ?? null, defaultValue: dv ? print(dv) : null };
      }),
      returns: String(f.type),
      permission: permissionOf(f),
      deprecated: f.deprecationReason ?? null,
    }))
    .sort(byName);
}

function fieldPermissionsOf(schema: GraphQLSchema): FieldPermissionDoc[] {
  const roots = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name, schema.getSubscriptionType()?.name]);
  const out: FieldPermissionDoc[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || roots.has(type.name) || type.name.startsWith('__')) continue;
    for (const f of Object.values(type.getFields())) {
      const permission = permissionOf(f);
      if (permission) out.push({ type: type.name, name: f.name, permission });
    }
  }
  return out.sort((a, b) => (`${a.type}.${a.name}` < `${b.type}.${b.name}` ? -1 : 1));
}

// What one subgraph process knows about itself: its schema and the domain errors it defined.
export function subgraphReference(schema: GraphQLSchema, errors: { name: string; codes: Readonly<Record<string, string>> }[]): SubgraphReference {
  const errorDocs = errors
    .flatMap((e) => Object.entries(e.codes).map(([reason, code]) => ({ reason, code, definedBy: e.name })))
    .sort((a, b) => (a.reason + '\0' + a.definedBy < b.reason + '\0' + b.definedBy ? -1 : 1));
  return {
    operations: [...operationsOf(schema.getQueryType(), 'query'), ...operationsOf(schema.getMutationType(), 'mutation')],
    fields: fieldPermissionsOf(schema),
    errors: errorDocs,
  };
}

export const ROLE_MATRIX_HEADING = '## Role matrix';
export const ALLOWED = '✓';
export const REFUSED = '·';

function matrixRow(first: string[], permission: { action: string; roles: readonly string[] } | null): string {
  const cells = ROLES.map((r) => (permission?.roles.includes(r) ? ALLOWED : REFUSED));
  return `| ${[...first, permission ? cell(permission.action) : '(none: refused to every role)', ...cells].join(' | ')} |`;
}

// Who may call what, one row per operation and per role-checked field, from the same @CallableBy
// metadata AuthGuard enforces (scripts/role-matrix.spec.ts checks it against the permissions files).
export function renderRoleMatrix(subgraphs: { name: string; reference: SubgraphReference }[]): string[] {
  const sorted = [...subgraphs].sort(byName);
  const header = (first: string[]) => [`| ${[...first, 'permission', ...ROLES.map((r) => `\`${r}\``)].join(' | ')} |`, `|${[...first, 'permission', ...ROLES].map(() => '---').join('|')}|`];
  const lines = [
    ROLE_MATRIX_HEADING,
    '',
    `Who may call each operation through the gateway (${ALLOWED}: allowed, within its tenant; ${REFUSED}: refused with`,
    '`FORBIDDEN` before anything runs). Generated from the `@CallableBy` of each resolver, which `AuthGuard`',
    'enforces in every subgraph; see [security.md](security.md#role-matrix) for the decisions behind it.',
    '',
    ...header(['subgraph', 'operation']),
  ];
  for (const { name, reference } of sorted) {
    for (const op of reference.operations) lines.push(matrixRow([name, `${op.kind} \`${op.name}\``], op.permission));
  }
  lines.push(
    '',
    FIELDS_MATRIX_HEADING,
    '',
    'Field resolvers that check the caller again (fields one subgraph adds to another\'s type, and fields that',
    "read another domain's data): a refused role gets `FORBIDDEN` on the field. Entity references",
    '(`_entities`) check the permission of the query that reads the same object.',
    '',
    ...header(['subgraph', 'field']),
  );
  for (const { name, reference } of sorted) {
    for (const f of reference.fields ?? []) lines.push(matrixRow([name, `\`${f.type}.${f.name}\``], f.permission));
  }
  lines.push('');
  return lines;
}

function cell(text: string | null): string {
  return (text ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

function renderOperation(op: OperationDoc): string[] {
  const args = op.args.map((a) => `${a.name}: ${a.type}${a.defaultValue !== null ? ` = ${a.defaultValue}` : ''}`).join(', ');
  const lines = [`#### \`${op.name}${args ? `(${args})` : ''}: ${op.returns}\``, ''];
  if (op.deprecated) lines.push(`**Deprecated**: ${op.deprecated.trim()}`, '');
  if (op.description) lines.push(op.description.trim(), '');
  if (op.args.length) {
    lines.push('| argument | type | description |', '|---|---|---|');
    for (const a of op.args) lines.push(`| \`${a.name}\` | \`${a.type}\`${a.defaultValue !== null ? ` (default \`${cell(a.defaultValue)}\`)` : ''} | ${cell(a.description)} |`);
    lines.push('');
  }
  lines.push(`Returns \`${op.returns}\`.`, '');
  lines.push(`Callable by: ${callers(op.permission)}.`, '');
  return lines;
}

// Deterministic: subgraphs, operations and errors are sorted, so a stale file shows as a diff.
export function renderApiReference(subgraphs: { name: string; reference: SubgraphReference }[]): string {
  const out = [
    '# Kanshi GraphQL API reference',
    '',
    'Generated by `npm run compose` from the six subgraphs\' code. Do not edit; `scripts/supergraph.spec.ts` fails when it is stale.',
    '',
    'Every operation goes through the gateway with a bearer token (`Authorization: Bearer <JWT>`); every',
    'type, field and argument is described in the schema itself ([gateway/supergraph.graphql](../gateway/supergraph.graphql)).',
    'Amounts of money are integer JPY, instants (`DateTime`) are UTC, and `Date` is a calendar day in Asia/Tokyo.',
    'Every caller sees only its tenant: provider staff everything their role allows, a partner its own',
    'customers\' data, a customer its own. Something another tenant owns reads as missing (null or `NOT_FOUND`).',
    '',
    '## Errors',
    '',
    'An error carries `extensions.code`; a domain error adds `extensions.reason` (listed per subgraph below) and,',
    'when one input is to blame, `extensions.field`. Besides these:',
    '',
    '| `extensions.code` | when |',
    '|---|---|',
    '| `UNAUTHENTICATED` | no token, or a token that is invalid or expired |',
    '| `BAD_USER_INPUT` | an argument fails validation (`extensions.fields` names them), an `ID` argument is not a UUID (`extensions.field` names it, a dotted path inside an input), or a domain rule refuses it |',
    '| `FORBIDDEN` | the caller\'s role may not take the action |',
    '| `NOT_FOUND` | the thing is missing, or belongs to another tenant |',
    '| `INTERNAL_SERVER_ERROR` | an unexpected failure; quote `extensions.errorId` to support |',
    '| `GRAPHQL_PARSE_FAILED` | not GraphQL, or more than 5000 tokens (`MAX_QUERY_TOKENS`) |',
    '| `GRAPHQL_VALIDATION_FAILED` | not valid against the schema, or over a gateway limit: `extensions.limit` is `QUERY_TOO_DEEP` (12 levels), `TOO_MANY_ALIASES` (30) or `QUERY_TOO_EXPENSIVE` (cost 100000: each field 1 times the page sizes of the lists above it, a list without `first`/`limit` counting 100; see [security.md](security.md#gateway-limits)) |',
    '| `BATCH_TOO_LARGE` | a batch of more than 10 operations |',
    '| `SUBGRAPH_UNAVAILABLE` | the subgraph named in the message cannot be reached; try again later |',
    '',
    ...renderRoleMatrix(subgraphs),
  ];
  for (const { name, reference } of [...subgraphs].sort(byName)) {
    out.push(`## ${name}`, '');
    for (const [kind, title] of [
      ['query', 'Queries'],
      ['mutation', 'Mutations'],
    ] as const) {
      const ops = reference.operations.filter((o) => o.kind === kind);
      if (!ops.length) continue;
      out.push(`### ${title}`, '');
      for (const op of ops) out.push(...renderOperation(op));
    }
    out.push(`### Error reasons`, '');
    if (reference.errors.length) {
      out.push('| `extensions.reason` | `extensions.code` | defined by |', '|---|---|---|');
      for (const e of reference.errors) out.push(`| \`${e.reason}\` | \`${e.code}\` | ${e.definedBy} |`);
    } else {
      out.push('None besides the codes above.');
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export const FIELDS_MATRIX_HEADING = '### Fields checked per role';

export interface RoleMatrixRow {
  subgraph: string;
  // "query alerts", "mutation runBilling" or "Alert.verdict"
  target: string;
  action: string;
  roles: string[];
}

// Reads back a table renderRoleMatrix wrote (under ROLE_MATRIX_HEADING or FIELDS_MATRIX_HEADING).
export function parseRoleMatrix(md: string, heading: string): RoleMatrixRow[] {
  const start = md.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no "${heading}" section`);
  const lines = md.slice(start + heading.length + 2).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const header = lines[first].split('|').slice(1, -1).map((c) => c.trim().replace(/`/g, ''));
  if (header.slice(3).join() !== ROLES.join()) throw new Error(`the "${heading}" table's role columns are not ${ROLES.join(', ')}`);
  const rows: RoleMatrixRow[] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    const bad = cells.slice(3).find((c) => c !== ALLOWED && c !== REFUSED);
    if (bad !== undefined) throw new Error(`unexpected cell "${bad}" in: ${line}`);
    rows.push({ subgraph: cells[0], target: cells[1].replace(/`/g, ''), action: cells[2], roles: ROLES.filter((_, i) => cells[3 + i] === ALLOWED) });
  }
  return rows;
}
