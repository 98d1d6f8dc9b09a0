import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Kind, parse } from 'graphql';
import { Permission, ROLES } from '@kanshi/auth';
import { ContractsPermissions } from '../services/contracts/src/contracts.permissions';
import { FIELDS_MATRIX_HEADING, parseRoleMatrix, REFUSED, renderRoleMatrix, ROLE_MATRIX_HEADING } from './api-reference';

// The role matrix in docs/api.md is generated from @CallableBy (supergraph.spec.ts fails when it is
// stale); this checks it against the code the other way round: every operation of the supergraph
// has a row, every row is a permission some <domain>.permissions.ts defines, with exactly its
// roles, and the decisions of issue 15 (item 10) hold.
const ROOT = path.resolve(__dirname, '..').replace(`${path.sep}dist${path.sep}`, path.sep);

function permissionsInCode(): Permission[] {
  const found: Permission[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(full);
      else if (entry.name.endsWith('.permissions.ts')) {
        for (const exported of Object.values(require(full) as Record<string, Record<string, Permission>>)) found.push(...Object.values(exported));
      }
    }
  };
  walk(path.join(ROOT, 'services'));
  return found;
}

describe('the role matrix in docs/api.md', () => {
  const md = readFileSync(path.join(ROOT, 'docs', 'api.md'), 'utf8');
  const operations = parseRoleMatrix(md, ROLE_MATRIX_HEADING);
  const fields = parseRoleMatrix(md, FIELDS_MATRIX_HEADING);
  const permissions = permissionsInCode();
  const row = (target: string) => {
    const found = [...operations, ...fields].filter((r) => r.target === target);
    expect(found).toHaveLength(1);
    return found[0];
  };

  it('has one row for every query and mutation of the supergraph, and no other', () => {
    const doc = parse(readFileSync(path.join(ROOT, 'gateway', 'supergraph.graphql'), 'utf8'));
    const expected: string[] = [];
    for (const def of doc.definitions) {
      if (def.kind !== Kind.OBJECT_TYPE_DEFINITION || !['Query', 'Mutation'].includes(def.name.value)) continue;
      for (const f of def.fields ?? []) expected.push(`${def.name.value === 'Query' ? 'query' : 'mutation'} ${f.name.value}`);
    }
    expect(operations.map((r) => r.target).sort()).toEqual(expected.sort());
  });

  it('names for every row a permission of a <domain>.permissions.ts, with exactly its roles', () => {
    expect(permissions.length).toBeGreaterThan(50);
    for (const r of [...operations, ...fields]) {
      const candidates = permissions.filter((p) => p.action === r.action);
      if (!candidates.some((p) => [...p.roles].sort().join() === [...r.roles].sort().join())) {
        throw new Error(`${r.subgraph} ${r.target}: "${r.action}" for ${r.roles.join(', ') || 'nobody'} is no permission in the code (${candidates.map((p) => p.roles.join(', ')).join(' / ') || 'no such action'})`);
      }
    }
  });

  it('refuses sales the alerts, raw logs and verdicts; still lets it read incidents (an open decision)', () => {
    for (const target of ['query alerts', 'query rawEvents', 'query quarantinedEvents', 'query alertGroups', 'Alert.verdict', 'Incident.alerts', 'Verdict.group']) {
      expect(row(target).roles).not.toContain('sales');
    }
    expect(row('query incidents').roles).toContain('sales');
  });

  it('shows invoices to provider_admin, sales and their own tenant, not to analysts or engineers, also through BillingRun.invoices', () => {
    for (const target of ['query invoices', 'query invoicePage', 'query invoice', 'BillingRun.invoices']) {
      expect(row(target).roles).toEqual(['provider_admin', 'sales', 'partner_admin', 'customer_admin', 'customer_viewer']);
    }
    expect(row('query billingRuns').roles).toEqual(['provider_admin', 'sales']);
  });

  it('lets only provider_admin and engineers activate contracts, only provider_admin set partner prices', () => {
    expect(row('mutation activateContract').roles).toEqual(['provider_admin', 'engineer']);
    expect(row('mutation setPartnerPricing').roles).toEqual(['provider_admin']);
  });

  it('keeps isolation pre-approval (a field of updateContract and acceptQuote) to provider_admin and the customer admin', () => {
    expect(ContractsPermissions.preApproveIsolation.roles).toEqual(['provider_admin', 'customer_admin']);
  });

  it('renders a refused-to-everybody row for an operation without @CallableBy (AuthGuard refuses it too)', () => {
    const lines = renderRoleMatrix([{ name: 'x', reference: { operations: [{ kind: 'query', name: 'open', description: null, args: [], returns: 'Int', permission: null, deprecated: null }], errors: [] } }]);
    expect(lines).toContain(`| x | query \`open\` | (none: refused to every role) | ${ROLES.map(() => REFUSED).join(' | ')} |`);
  });
});
