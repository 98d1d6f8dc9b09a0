import { randomBytes } from 'node:crypto';
import { FakeCrowdStrikeServer, FakeEdrTenant } from '@kanshi/testing';

// The demo's EDR: a local CrowdStrike Falcon console (the vendor-server kit's, speaking the
// Falcon API endpoint-response's adapter calls) on a fixed development port, holding the demo MDR
// customer's endpoints. The seed configures the customer's connector against it through the
// public API, the inventory sync learns the endpoints from it, the detection pull takes the demo
// detection from it, and the isolation contains the host on it.

export const DEMO_EDR_TENANT = 'hokuto-logistics';
export const DEMO_EDR_CLIENT_ID = 'kanshi-demo-hokuto';

export interface DemoEdrHost {
  hostName: string;
  agentId: string;
  ips: string[];
  os: string;
}

export const DEMO_EDR_HOSTS: readonly DemoEdrHost[] = [
  { hostName: 'HOKUTO-PC-0031', agentId: '7d3f0a9c2b6e4d1f8a5c3e7b9d2f4a60', ips: ['10.40.1.31'], os: 'Windows 11 Pro' },
  { hostName: 'HOKUTO-PC-0047', agentId: '1b8e6c4a2d0f4e9b7c5a3d1f9e8b6c42', ips: ['10.40.1.47'], os: 'Windows 11 Pro' },
  { hostName: 'HOKUTO-SV-FILE01', agentId: 'e4a2c0b8d6f24a1c9e7b5d3f1a0c8e26', ips: ['10.40.0.10'], os: 'Windows Server 2022' },
];

// The host the demo detection names and the demo isolates.
export const DEMO_EDR_VICTIM = DEMO_EDR_HOSTS[0];

export interface DemoEdrConsole {
  server: FakeCrowdStrikeServer;
  url: string;
  port: number;
  // The demo customer's API client on this console (a new secret on every start).
  tenant(contained?: ReadonlySet<string>): FakeEdrTenant;
  stop(): Promise<void>;
}

export async function startDemoEdrConsole(port: number): Promise<DemoEdrConsole> {
  // Containment confirmed on the second status read: the isolation shows REQUESTED, then ISOLATED.
  const server = new FakeCrowdStrikeServer({ host: '127.0.0.1', port, confirmAfterReads: 2 });
  const { url } = await server.start();
  let tenant: FakeEdrTenant | undefined;
  return {
    server,
    url,
    port,
    // `contained`: agent ids already isolated in Kanshi (a second start shows them contained).
    tenant(contained = new Set()) {
      tenant ??= server.addTenant({
        id: DEMO_EDR_TENANT,
        clientId: DEMO_EDR_CLIENT_ID,
        secret: randomBytes(24).toString('base64url'),
        hosts: DEMO_EDR_HOSTS.map((h) => ({ ...h, ips: [...h.ips], contained: contained.has(h.agentId) })),
      });
      return tenant;
    },
    stop: () => server.stop(),
  };
}

// The demo detection: credential dumping on the victim, rated critical by Falcon.
export function addDemoDetection(edr: DemoEdrConsole): Record<string, unknown> {
  return edr.server.addAlert(DEMO_EDR_TENANT, DEMO_EDR_VICTIM.agentId, {
    name: 'CredentialDumping',
    description: 'A process dumped LSASS memory with comsvcs.dll MiniDump, as attackers do to steal credentials.',
    severity: 90,
    severityName: 'Critical',
    fileName: 'rundll32.exe',
    filePath: '\\Device\\HarddiskVolume3\\Windows\\System32\\rundll32.exe',
    cmdline: 'rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 812 C:\\ProgramData\\d.bin full',
    tactic: 'Credential Access',
    technique: 'OS Credential Dumping',
    techniqueId: 'T1003.001',
  });
}
