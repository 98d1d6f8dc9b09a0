// The four adapters and their local consoles side by side, for the adapter specs, the pulled-record
// check and the benchmark: how to start a console, make a connector for one of its tenants, and add
// a detection.
import { FakeCarbonBlackServer, FakeCrowdStrikeServer, FakeCybereasonServer, FakeEdrOptions, FakeEdrServer, FakeEdrTenant, FakeFireEyeHxServer } from '@kanshi/testing';
import { EdrProductCode } from '@kanshi/events';
import { CarbonBlackConnector } from './carbon-black.connector';
import { ConnectorRuntime } from './connector-runtime';
import { CrowdStrikeConnector } from './crowdstrike.connector';
import { CybereasonConnector } from './cybereason.connector';
import { EdrConnector, EdrConnectorOptions, EdrCredentials } from './edr-connector';
import { FireEyeHxConnector } from './fireeye-hx.connector';

export interface AdapterHarness {
  product: EdrProductCode;
  label: string;
  server(options: FakeEdrOptions): FakeEdrServer;
  connector(runtime: ConnectorRuntime, customerId: string, creds: EdrCredentials, opts?: EdrConnectorOptions): EdrConnector & { verify(): Promise<void> };
  // The message the vendor gives for a wrong password / secret.
  wrongCredentials: RegExp;
  // Whether the credential is a token or session that expires (Carbon Black's API key does not).
  expires: boolean;
  // Requests that log in (none for Carbon Black).
  loginPath: string | null;
  // An agent id the console does not know.
  unknownAgentId: string;
  addDetection(server: FakeEdrServer, tenant: FakeEdrTenant, agentId: string, at?: Date): void;
}

export function credentialsOf(h: AdapterHarness, server: FakeEdrServer, tenant: FakeEdrTenant, over: Partial<EdrCredentials> = {}): EdrCredentials {
  return { product: h.product, baseUrl: server.url, clientId: tenant.clientId, secret: tenant.secret, orgKey: tenant.orgKey, ...over };
}

export const ADAPTERS: AdapterHarness[] = [
  {
    product: 'CROWDSTRIKE_FALCON',
    label: 'CrowdStrike',
    server: (o) => new FakeCrowdStrikeServer(o),
    connector: (r, c, creds, o) => new CrowdStrikeConnector(r, c, creds, o),
    wrongCredentials: /Failed to issue access token - Not Authorized/,
    expires: true,
    loginPath: '/oauth2/token',
    unknownAgentId: '0123456789abcdef0123456789abcdef',
    addDetection: (s, t, a, at) => void (s as FakeCrowdStrikeServer).addAlert(t.id, a, { updatedAt: at }),
  },
  {
    product: 'CARBON_BLACK',
    label: 'Carbon Black',
    server: (o) => new FakeCarbonBlackServer(o),
    connector: (r, c, creds, o) => new CarbonBlackConnector(r, c, creds, o),
    wrongCredentials: /Authentication failed: invalid API key or API ID/,
    expires: false,
    loginPath: null,
    unknownAgentId: '1',
    addDetection: (s, t, a, at) => void (s as FakeCarbonBlackServer).addAlert(t.id, a, { updatedAt: at }),
  },
  {
    product: 'CYBEREASON',
    label: 'Cybereason',
    server: (o) => new FakeCybereasonServer(o),
    connector: (r, c, creds, o) => new CybereasonConnector(r, c, creds, o),
    wrongCredentials: /invalid user name or password \(redirected to login\.html\?error\)/,
    expires: true,
    loginPath: '/login.html',
    unknownAgentId: 'PYLUMCLIENT_KANSHI_NOSUCH_000000000000',
    addDetection: (s, t, a, at) => void (s as FakeCybereasonServer).addMalop(t.id, a, { updatedAt: at }),
  },
  {
    product: 'FIREEYE_HX',
    label: 'FireEye HX',
    server: (o) => new FakeFireEyeHxServer(o),
    connector: (r, c, creds, o) => new FireEyeHxConnector(r, c, creds, o),
    wrongCredentials: /Invalid user name or password/,
    expires: true,
    loginPath: '/hx/api/v3/token',
    unknownAgentId: 'NoSuchAgent0000000000a',
    addDetection: (s, t, a, at) => void (s as FakeFireEyeHxServer).addAlert(t.id, a, { reportedAt: at }),
  },
];
