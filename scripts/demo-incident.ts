import { signDevToken } from '@kanshi/auth';
import { DemoMdr, gql } from './seed';

const QUERY = `query($c: ID) { incidents(first: 20, filter: { customerId: $c }) { edges { node { id title severity status notifications { channel status } isolations { id requestedBy status error endpoint { hostName edrAgentId } } } } } }`;

// What `npm start` prints for the developer to see the isolation themselves.
export const ISOLATION_QUERY = '{ isolations { status isolatedAt endpoint { hostName edrAgentId isolated } incident { title status } log { at kind text } } }';

export interface DemoIsolation {
  id: string;
  requestedBy: string;
  status: string;
  error: string | null;
  endpoint: { hostName: string; edrAgentId: string | null } | null;
}

export interface DemoIncident {
  id: string;
  title: string;
  severity: string;
  status: string;
  notifications: { channel: string; status: string }[];
  isolations: DemoIsolation[];
}

export interface DemoLoopOutcome {
  // The HIGH incidents of the MDR customer, as they stood when the loop stopped waiting.
  incidents: DemoIncident[];
  // The isolation of the demo host, when one was asked for.
  isolation: DemoIsolation | null;
  lines: string[];
}

const FINAL = ['ISOLATED', 'FAILED', 'RELEASED'];

// `npm start`: the incident loop of the demo (alert -> verdict -> HIGH incident -> mail and call
// task -> isolation): waits until the demo host's isolation is ISOLATED or FAILED and its incident
// CONTAINED (or `timeoutMs` passes), and says where each HIGH incident got to.
export async function demoIncidentLoop(gatewayUrl: string, secret: string, mdr: DemoMdr, timeoutMs = 120_000): Promise<DemoLoopOutcome> {
  const token = await signDevToken({ sub: 'demo@kanshi.local', role: 'analyst' }, secret, 600);
  const deadline = Date.now() + timeoutMs;
  let high: DemoIncident[] = [];
  let isolation: DemoIsolation | null = null;
  for (;;) {
    try {
      const r = await gql<{ incidents: { edges: { node: DemoIncident }[] } }>(gatewayUrl, token, QUERY, { c: mdr.customerId });
      high = r.incidents.edges.map((e) => e.node).filter((i) => i.severity === 'HIGH');
      const withIsolation = high.find((i) => i.isolations.some((s) => s.endpoint?.hostName === mdr.hostName));
      isolation = withIsolation?.isolations.find((s) => s.endpoint?.hostName === mdr.hostName) ?? null;
      if (isolation?.status === 'FAILED') break;
      if (isolation && FINAL.includes(isolation.status) && withIsolation!.status !== 'NEW' && withIsolation!.status !== 'TRIAGED') break;
    } catch {
      // an isolation endpoint-response has not recorded yet: ask again
    }
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const lines: string[] = [];
  if (!high.length) lines.push(`no HIGH incident for the MDR customer yet (the demo detection on ${mdr.hostName} is still on its way: ${mdr.detectionAdded ? 'pulled from the EDR console, then analysed' : 'not added again on this start'})`);
  for (const i of high) {
    const mails = i.notifications.filter((n) => n.channel === 'EMAIL').map((n) => n.status);
    const calls = i.notifications.filter((n) => n.channel === 'PHONE').length;
    const iso = i.isolations.map((s) => `${s.endpoint?.hostName ?? '?'} ${s.status}${s.error ? ` (${s.error})` : ''} (requested by ${s.requestedBy})`).join(', ') || 'no isolation requested';
    lines.push(`${i.title} [${i.severity}, ${i.status}]: mail ${mails.join('/') || 'none'}, call tasks ${calls}, isolation: ${iso}`);
  }
  lines.push(
    isolation
      ? `isolation outcome: host ${mdr.hostName} (CrowdStrike agent ${mdr.agentId}) ${isolation.status}${isolation.error ? `: ${isolation.error}` : ''}`
      : `isolation outcome: host ${mdr.hostName} (CrowdStrike agent ${mdr.agentId}) not isolated yet; ask again with the query below`,
  );
  lines.push(`see it: curl -s ${gatewayUrl} -H 'content-type: application/json' -H "authorization: Bearer <analyst token>" -d '{"query":"${ISOLATION_QUERY}"}'`);
  return { incidents: high, isolation, lines };
}
