import { signDevToken } from '@kanshi/auth';
import { gql } from './seed';

const QUERY = `query { incidents(first: 20) { edges { node { id title severity status notifications { channel status } isolations { requestedBy status endpoint { hostName } } } } } }`;

interface DemoIncident {
  id: string;
  title: string;
  severity: string;
  status: string;
  notifications: { channel: string; status: string }[];
  isolations: { requestedBy: string; status: string; endpoint: { hostName: string } | null }[];
}

// `npm start`: the incident loop of the demo (alert -> verdict -> HIGH incident -> mail and call
// task -> isolation): waits until a HIGH incident's isolation is ISOLATED (or `timeoutMs` passes)
// and says where each HIGH incident got to.
export async function demoIncidentLoop(gatewayUrl: string, secret: string, timeoutMs = 60_000): Promise<string[]> {
  const token = await signDevToken({ sub: 'demo@kanshi.local', role: 'analyst' }, secret, 600);
  const deadline = Date.now() + timeoutMs;
  let high: DemoIncident[] = [];
  for (;;) {
    try {
      const r = await gql<{ incidents: { edges: { node: DemoIncident }[] } }>(gatewayUrl, token, QUERY, {});
      high = r.incidents.edges.map((e) => e.node).filter((i) => i.severity === 'HIGH');
      if (high.some((i) => i.isolations.some((s) => s.status === 'ISOLATED'))) break;
    } catch {
      // an isolation endpoint-response has not recorded yet: ask again
    }
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  if (!high.length) return ['no HIGH incident yet (the demo alerts are still being analysed)'];
  return high.map((i) => {
    const mails = i.notifications.filter((n) => n.channel === 'EMAIL').map((n) => n.status);
    const calls = i.notifications.filter((n) => n.channel === 'PHONE').length;
    const iso = i.isolations.map((s) => `${s.endpoint?.hostName ?? '?'} ${s.status} (by ${s.requestedBy})`).join(', ') || 'no isolation requested';
    return `${i.title} [${i.severity}, ${i.status}]: mail ${mails.join('/') || 'none'}, call tasks ${calls}, isolation: ${iso}`;
  });
}
