import { signDevToken } from '@kanshi/auth';
import { toTokyoDate } from '@kanshi/calendar';
import { gql } from './seed';

// The demo's reports (issue 13): a provisional monthly report of the month in progress for each
// demo customer on a plan with monthly reports, and the analysis report of the demo's HIGH
// incident once the incident demo provides one. Returns lines for `npm start` to print.
export async function demoReports(gatewayUrl: string, secret: string, customerIds: string[]): Promise<string[]> {
  const admin = await signDevToken({ sub: 'seed@kanshi.local', role: 'provider_admin' }, secret, 600);
  const month = toTokyoDate(new Date(), 'now').slice(0, 7);
  const lines: string[] = [];
  for (const customerId of customerIds) {
    // Reporting learns the contract from contracts' events: retry while it catches up.
    const made = await retry(() =>
      gql<{ generateMonthlyReport: { id: string; title: string } }>(gatewayUrl, admin, `mutation($c: ID!, $m: String!) { generateMonthlyReport(customerId: $c, month: $m) { id title } }`, { c: customerId, m: month }),
    ).catch((err: Error) => err);
    if (made instanceof Error) {
      // FE alert analysis has no monthly report: that refusal is expected, anything else is said.
      if (!/NOT_ON_A_MONTHLY_REPORT_PLAN|monthly reports come with/.test(made.message)) lines.push(`monthly report for ${customerId} not made: ${made.message}`);
      continue;
    }
    lines.push(`monthly report (provisional) ${made.generateMonthlyReport.title}: report ${made.generateMonthlyReport.id}`);
  }
  const { incidents } = await gql<{ incidents: { edges: { node: { id: string; title: string } }[] } }>(
    gatewayUrl,
    admin,
    `{ incidents(first: 20, filter: { severity: HIGH }) { edges { node { id title } } } }`,
  ).catch(() => ({ incidents: { edges: [] } }));
  const high = incidents.edges[0]?.node;
  if (!high) {
    lines.push('analysis report: waits for the incident demo (no HIGH incident yet)');
  } else {
    const made = await retry(
      () => gql<{ generateAnalysisReport: { id: string; title: string } }>(gatewayUrl, admin, `mutation($i: ID!) { generateAnalysisReport(incidentId: $i, edition: FIRST) { id title } }`, { i: high.id }),
      15_000,
    ).catch((err: Error) => err);
    lines.push(made instanceof Error ? `analysis report of "${high.title}" not made yet: ${made.message}` : `analysis report ${made.generateAnalysisReport.title}: report ${made.generateAnalysisReport.id}`);
  }
  lines.push(
    `Download one: curl -s ${gatewayUrl} -H 'content-type: application/json' -H "authorization: Bearer <token>" -d '{"query":"{ reports { id kind title downloadUrl } }"}'  then  curl -o report.pdf '<downloadUrl>'`,
  );
  return lines;
}

async function retry<T>(fn: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // Refusals that waiting cannot change.
      if (Date.now() > deadline || /NOT_ON_A_MONTHLY_REPORT_PLAN|monthly reports come with|FORBIDDEN/.test(message)) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
