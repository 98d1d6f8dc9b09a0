import Ajv from 'ajv';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { GATEWAY_PORT, SERVICES } from '../services';
import { K8sObject, OVERLAYS, Overlay, readRepoFile, render, REPO, selects, workloads } from './manifests';

// Offline checks of k8s/: both overlays render, every object validates (built-in kinds against
// the Kubernetes schemas of `kubernetes-models`, our CRDs against schemas kept in k8s/schemas),
// and the rules modelled on kube-score hold. No cluster, no helm, no network.

const rendered = Object.fromEntries(OVERLAYS.map((o) => [o, render(o)])) as Record<Overlay, K8sObject[]>;
const PROCESSES = ['gateway', ...SERVICES.map((s) => s.name)];

// apiVersion -> the kubernetes-models module holding its kinds.
function builtInModel(apiVersion: string, kind: string): (new (data: unknown) => { validate(): void }) | null {
  const mod = apiVersion.includes('/') ? apiVersion : `core/${apiVersion}`;
  const modulePath = mod.startsWith('core/') ? `kubernetes-models/${mod.slice(5)}` : `kubernetes-models/${mod}`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require(modulePath) as Record<string, new (data: unknown) => { validate(): void }>;
    return m[kind] ?? null;
  } catch {
    return null;
  }
}

const ajv = new Ajv({ allErrors: true, strict: false });
const CRD_SCHEMAS: Record<string, string> = {
  'external-secrets.io/v1beta1/ExternalSecret': 'external-secret.v1beta1.schema.json',
  'postgresql.cnpg.io/v1/Cluster': 'cnpg-cluster.v1.schema.json',
  'postgresql.cnpg.io/v1/ScheduledBackup': 'cnpg-scheduled-backup.v1.schema.json',
};
const crdValidators = Object.fromEntries(
  Object.entries(CRD_SCHEMAS).map(([k, file]) => [k, ajv.compile(JSON.parse(readFileSync(path.join(REPO, 'k8s', 'schemas', file), 'utf8')))]),
);

function validationErrors(o: K8sObject): string | null {
  const crd = crdValidators[`${o.apiVersion}/${o.kind}`];
  if (crd) return crd(o) ? null : ajv.errorsText(crd.errors);
  const Model = builtInModel(o.apiVersion, o.kind);
  if (!Model) return `unknown kind ${o.apiVersion}/${o.kind}: neither a built-in kind nor a CRD with a schema in k8s/schemas`;
  try {
    new Model(o).validate();
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

describe.each(OVERLAYS)('the %s overlay', (overlay) => {
  const objects = rendered[overlay];
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);

  it('renders, and every object validates against its schema', () => {
    expect(objects.length).toBeGreaterThan(50);
    const problems = objects.map((o) => [`${o.kind}/${o.metadata.name}`, validationErrors(o)]).filter(([, e]) => e !== null);
    expect(problems).toEqual([]);
  });

  it('has a Deployment, Service, ServiceAccount, ConfigMap, PodDisruptionBudget, HPA and NetworkPolicy for every service and the gateway', () => {
    for (const p of PROCESSES) {
      const name = `kanshi-${p}`;
      for (const kind of ['Deployment', 'Service', 'ServiceAccount', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'NetworkPolicy']) {
        expect({ p, kind, found: objects.some((o) => o.kind === kind && o.metadata.name === name) }).toEqual({ p, kind, found: true });
      }
      expect(objects.some((o) => o.kind === 'ConfigMap' && o.metadata.name === `${name}-config`)).toBe(true);
    }
    // a migration Job per service (the gateway has no schema)
    for (const s of SERVICES) expect(ofKind('Job').map((j) => j.metadata.name)).toContain(`kanshi-${s.name}-migrate`);
  });

  it('runs every container with requests and limits, distinct readiness and liveness probes, as non-root on a read-only root filesystem, from a pinned image', () => {
    for (const w of workloads(objects)) {
      const podSc = w.pod.securityContext ?? {};
      for (const c of w.pod.containers as Record<string, any>[]) {
        const where = `${w.kind}/${w.name}/${c.name}`;
        for (const r of ['cpu', 'memory']) {
          expect({ where, request: c.resources?.requests?.[r] !== undefined, limit: c.resources?.limits?.[r] !== undefined }).toEqual({ where, request: true, limit: true });
        }
        expect({ where, nonRoot: (c.securityContext?.runAsNonRoot ?? podSc.runAsNonRoot) === true }).toEqual({ where, nonRoot: true });
        expect({ where, readOnly: c.securityContext?.readOnlyRootFilesystem === true }).toEqual({ where, readOnly: true });
        expect({ where, escalation: c.securityContext?.allowPrivilegeEscalation }).toEqual({ where, escalation: false });
        const image = String(c.image);
        expect({ where, image, pinned: /:[^:/]+$/.test(image) && !image.endsWith(':latest') }).toEqual({ where, image, pinned: true });
        if (w.kind === 'Deployment') {
          expect({ where, readiness: !!c.readinessProbe, liveness: !!c.livenessProbe }).toEqual({ where, readiness: true, liveness: true });
          expect(JSON.stringify(c.readinessProbe)).not.toEqual(JSON.stringify(c.livenessProbe));
        }
      }
    }
  });

  it('covers every Deployment with a PodDisruptionBudget and a NetworkPolicy of its own', () => {
    const pdbs = ofKind('PodDisruptionBudget');
    const policies = ofKind('NetworkPolicy');
    for (const d of deployments) {
      const labels = d.spec!.template.metadata.labels as Record<string, string>;
      expect({ d: d.metadata.name, pdb: pdbs.some((p) => selects(p.spec!.selector.matchLabels, labels)) }).toEqual({ d: d.metadata.name, pdb: true });
      // a policy naming this workload, not only the namespace-wide default deny
      const own = policies.filter((p) => selects(p.spec!.podSelector.matchLabels, labels) && p.spec!.podSelector.matchLabels?.['app.kubernetes.io/name']);
      expect({ d: d.metadata.name, policy: own.length > 0 }).toEqual({ d: d.metadata.name, policy: true });
    }
  });

  it('has every NetworkPolicy and Service select the pods of at least one workload', () => {
    const pods = workloads(objects).map((w) => w.labels);
    for (const o of [...ofKind('NetworkPolicy'), ...ofKind('Service')]) {
      const selector = o.kind === 'Service' ? (o.spec!.selector as Record<string, string>) : (o.spec!.podSelector.matchLabels as Record<string, string>);
      expect({ o: `${o.kind}/${o.metadata.name}`, selects: pods.some((labels) => selects(selector, labels)) }).toEqual({ o: `${o.kind}/${o.metadata.name}`, selects: true });
    }
  });

  it('lets only the gateway reach the subgraphs, and the subgraphs reach PostgreSQL and NATS', () => {
    for (const s of SERVICES) {
      const policy = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === `kanshi-${s.name}`)!;
      const fromPods = (policy.spec!.ingress as Record<string, any>[]).filter((r) => r.ports.some((p: { port: string }) => p.port === 'internal')).flatMap((r) => r.from);
      // pods allowed in on the internal port: only the gateway's (and the monitoring namespace's scraper)
      const podSources = fromPods.filter((f: Record<string, any>) => f.podSelector).map((f: Record<string, any>) => f.podSelector.matchLabels['app.kubernetes.io/name']);
      expect(podSources).toEqual(['kanshi-gateway']);
      expect(fromPods.every((f: Record<string, any>) => f.podSelector || f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'monitoring')).toBe(true);
      const egressPorts = (policy.spec!.egress as Record<string, any>[]).flatMap((r) => r.ports.map((p: { port: number }) => p.port));
      expect(egressPorts).toEqual(expect.arrayContaining([5432, 4222]));
    }
    const gateway = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'kanshi-gateway')!;
    const gwPorts = (gateway.spec!.egress as Record<string, any>[]).flatMap((r) => r.ports.map((p: { port: number }) => p.port));
    expect(gwPorts.sort()).toEqual(SERVICES.map((s) => s.port).sort());
  });

  it('exposes syslog (one Service per protocol) and SMTP as LoadBalancers that keep the sender address, and the gateway and intake through the Ingress', () => {
    const lbs = ofKind('Service').filter((s) => s.spec!.type === 'LoadBalancer');
    expect(lbs.map((s) => s.metadata.name).sort()).toEqual(['kanshi-ingestion-smtp', 'kanshi-ingestion-syslog-tcp', 'kanshi-ingestion-syslog-udp']);
    for (const lb of lbs) {
      expect(lb.spec!.externalTrafficPolicy).toBe('Local');
      expect(new Set(lb.spec!.ports.map((p: { protocol: string }) => p.protocol)).size).toBe(1);
    }
    const ingress = ofKind('Ingress')[0];
    const backends = (ingress.spec!.rules as Record<string, any>[]).flatMap((r) => r.http.paths.map((p: Record<string, any>) => `${p.path}->${p.backend.service.name}`));
    expect(backends).toEqual(expect.arrayContaining(['/graphql->kanshi-gateway', '/ingest->kanshi-ingestion-public', '/webhooks/stripe->kanshi-contracts-public']));
    // public routes go to the public ports, never to a subgraph's internal port
    for (const b of (ingress.spec!.rules as Record<string, any>[]).flatMap((r) => r.http.paths)) {
      if (b.backend.service.name !== 'kanshi-gateway') expect(b.backend.service.port.name).toBe('public');
    }
  });

  it('commits no Secret: every secret is referenced, and in prod comes from an ExternalSecret', () => {
    expect(ofKind('Secret')).toEqual([]);
    const referenced = new Set<string>();
    for (const w of workloads(objects)) {
      for (const c of w.pod.containers as Record<string, any>[]) {
        for (const e of c.envFrom ?? []) if (e.secretRef) referenced.add(e.secretRef.name);
        for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) referenced.add(e.valueFrom.secretKeyRef.name);
      }
    }
    for (const c of ofKind('Cluster')) {
      for (const r of c.spec!.managed?.roles ?? []) referenced.add(r.passwordSecret.name);
      const creds = c.spec!.backup?.barmanObjectStore?.s3Credentials;
      if (creds) for (const ref of Object.values(creds) as { name: string }[]) referenced.add(ref.name);
    }
    if (overlay === 'prod') {
      const external = new Set(ofKind('ExternalSecret').map((e) => e.spec!.target.name as string));
      for (const name of referenced) expect({ name, external: external.has(name) }).toEqual({ name, external: true });
    } else {
      // the dev script creates them: literally, or as kanshi-$svc-... for each service of its loop
      const script = readRepoFile('k8s/overlays/dev/create-secrets.sh');
      const loop = /for svc in ([^;]+);/.exec(script)![1].trim().split(/\s+/);
      const created = (name: string) => script.includes(name) || loop.some((svc) => [`kanshi-${svc}-secrets`, `kanshi-pg-role-${svc}`].includes(name) && script.includes(name.replace(svc, '$svc')));
      for (const name of referenced) expect({ name, created: created(name) }).toEqual({ name, created: true });
    }
  });
});

describe('the prod overlay', () => {
  const objects = rendered.prod;

  it('runs at least two replicas of everything, and HPAs never scale below that', () => {
    for (const d of objects.filter((o) => o.kind === 'Deployment')) expect({ d: d.metadata.name, ok: d.spec!.replicas >= 2 }).toEqual({ d: d.metadata.name, ok: true });
    for (const h of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) expect({ h: h.metadata.name, ok: h.spec!.minReplicas >= 2 }).toEqual({ h: h.metadata.name, ok: true });
  });

  it('replicates JetStream streams 3 times and runs PostgreSQL as 3 instances with backups', () => {
    const common = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'kanshi-common-config')!;
    expect(common.data!.NATS_STREAM_REPLICAS).toBe('3');
    expect(common.data!.NODE_ENV).toBe('production');
    const cluster = objects.find((o) => o.kind === 'Cluster')!;
    expect(cluster.spec!.instances).toBe(3);
    expect(cluster.spec!.backup.barmanObjectStore.destinationPath).toMatch(/^s3:\/\//);
    expect(objects.some((o) => o.kind === 'ScheduledBackup')).toBe(true);
    // one login role per service, each with its password from a secret
    expect(cluster.spec!.managed.roles.map((r: { name: string }) => r.name).sort()).toEqual(SERVICES.map((s) => `kanshi_${s.schema}`).sort());
  });

  // Every variable a process reads at boot must come from its ConfigMaps or Secret: boot its
  // configuration loader on exactly that environment, as production would.
  it.each(PROCESSES)('gives %s every configuration variable it needs to boot in production', (p) => {
    const configMaps = objects.filter((o) => o.kind === 'ConfigMap');
    const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === `kanshi-${p}`)!;
    const container = deployment.spec!.template.spec.containers[0] as Record<string, any>;
    const env: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const e of container.envFrom as Record<string, any>[]) {
      if (e.configMapRef) Object.assign(env, configMaps.find((c) => c.metadata.name === e.configMapRef.name)!.data);
      if (e.secretRef) {
        const es = objects.find((o) => o.kind === 'ExternalSecret' && o.spec!.target.name === e.secretRef.name)!;
        for (const d of (es.spec!.data ?? []) as { secretKey: string }[]) secretKeys.push(d.secretKey);
      }
    }
    for (const k of secretKeys) env[k] = placeholderSecret(k);
    const configFile = p === 'gateway' ? 'gateway/src/config' : `services/${p}/src/config`;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { loadConfig } = require(path.join(REPO, configFile)) as { loadConfig(env: NodeJS.ProcessEnv): Record<string, unknown> };
    const config = loadConfig(env);
    expect(config.NODE_ENV).toBe('production');
    // and no ConfigMap key is a typo nobody reads
    // the service's configuration files (config.ts and any *-config.ts beside it) and the platform's
    // (its configuration and its boot, which reads TRUST_PROXY and LISTEN_HOST)
    const dir = path.dirname(path.join(REPO, configFile));
    const configFiles = readdirSync(dir).filter((f) => /(^|-)config\.ts$/.test(f)).map((f) => path.relative(REPO, path.join(dir, f)));
    const readers = [...configFiles, 'libs/config/src/config.ts', 'libs/platform/src/bootstrap.ts'].map(readRepoFile).join('\n');
    for (const key of Object.keys(env)) {
      const read = readers.includes(key) || key.startsWith('SUBGRAPH_URL_') || ['LOG_LEVEL', 'LISTEN_HOST'].includes(key);
      expect({ key, read }).toEqual({ key, read: true });
    }
    const port = p === 'gateway' ? GATEWAY_PORT : SERVICES.find((s) => s.name === p)!.port;
    expect(config.PORT).toBe(port);
  });
});

// .dockerignore here excludes everything (`*`) and lets in what `!path` lines name.
function inBuildContext(src: string, dockerignore: string): boolean {
  const wanted = src.replace(/^\.\//, '').replace(/\/$/, '');
  const allowed = dockerignore.split('\n').filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/$/, ''));
  return allowed.some((a) => wanted === a || wanted.startsWith(`${a}/`));
}

function placeholderSecret(key: string): string {
  if (key === 'DATABASE_URL') return 'postgres://kanshi_x:secret@kanshi-pg-rw:5432/kanshi';
  if (key === 'NATS_URL') return 'nats://kanshi-x:secret@nats:4222';
  if (key.endsWith('_URL')) return 'smtp://relay.example.com:587';
  if (key === 'EDR_CREDENTIALS_KEY') return Buffer.alloc(32, 7).toString('base64');
  return 's'.repeat(48);
}

describe('the NATS Helm values', () => {
  const values = parseYaml(readRepoFile('k8s/nats/values.yaml')) as Record<string, unknown>;
  const keys = JSON.parse(readRepoFile('k8s/schemas/nats-chart-values.keys.json')) as { exact: string[]; open: string[] };

  function leaves(o: unknown, prefix = ''): string[] {
    if (o === null || typeof o !== 'object' || Array.isArray(o)) return [prefix];
    return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
  }

  it("uses only the chart's documented keys", () => {
    const unknown = leaves(values).filter((p) => !keys.exact.includes(p) && !keys.open.some((o) => p === o || p.startsWith(`${o}.`)));
    expect(unknown).toEqual([]);
  });

  it('runs a 3-node JetStream cluster on file storage with authentication', () => {
    const config = values.config as Record<string, any>;
    expect(config.cluster).toMatchObject({ enabled: true, replicas: 3 });
    expect(config.jetstream).toMatchObject({ enabled: true, fileStore: { enabled: true, pvc: { enabled: true } } });
    const users = config.merge.accounts.KANSHI.users as { user: string; password: string }[];
    expect(users.map((u) => u.user).sort()).toEqual(SERVICES.map((s) => `kanshi-${s.name}`).sort());
    // passwords come from the environment (a Secret), never from the file
    for (const u of users) expect(u.password).toMatch(/^<< \$NATS_PASSWORD_[A-Z_]+ >>$/);
  });
});

describe('the Dockerfile', () => {
  const dockerfile = readRepoFile('Dockerfile');
  const dockerignore = readRepoFile('.dockerignore');
  const lines = dockerfile.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));

  it('pins its base image to an exact version', () => {
    const image = /ARG NODE_IMAGE=(\S+)/.exec(dockerfile)![1];
    expect(image).toMatch(/^node:\d+\.\d+\.\d+-[a-z]+-slim(@sha256:[a-f0-9]{64})?$/);
    for (const from of lines.filter((l) => l.startsWith('FROM '))) expect(from).not.toMatch(/:latest\b/);
  });

  it('runs as a non-root numeric user, with production dependencies only', () => {
    const users = lines.filter((l) => l.startsWith('USER '));
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).toMatch(/^USER [1-9]\d*:[1-9]\d*$/);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    // the runtime stages copy node_modules only from the production-dependencies stage
    const copies = lines.filter((l) => /COPY .*node_modules/.test(l));
    expect(copies.every((l) => l.includes('--from=deps'))).toBe(true);
  });

  it('puts Chromium and the Japanese fonts in the reporting image only', () => {
    const stages = dockerfile.split(/^FROM /m).slice(1);
    const withChromium = stages.filter((s) => /apt-get install[^\n]*chromium/.test(s)).map((s) => /AS (\S+)/.exec(s)![1]);
    expect(withChromium).toEqual(['runtime-reporting']);
    expect(stages.find((s) => s.includes('AS runtime-reporting'))).toMatch(/fonts-ipaexfont-gothic/);
  });

  it('copies no secrets, and every file it copies from the context is in the build context', () => {
    for (const l of lines.filter((x) => x.startsWith('COPY ') && !x.includes('--from='))) {
      const parts = l.replace(/--chown=\S+\s*/g, '').split(/\s+/).slice(1, -1);
      for (const src of parts) {
        expect(src).not.toMatch(/\.env|\.pem|\.key|secret/i);
        expect({ src, inRepo: require('node:fs').existsSync(path.join(REPO, src)) }).toEqual({ src, inRepo: true });
        expect({ src, inContext: inBuildContext(src, dockerignore) }).toEqual({ src, inContext: true });
      }
    }
    expect(dockerignore).toMatch(/^\*$/m);
    for (const secretish of ['**/.env', '**/*.pem', '**/*.key']) expect(dockerignore).toContain(secretish);
  });

  it('has an entry point for every process the manifests run', () => {
    expect(readRepoFile('gateway/supergraph.graphql').length).toBeGreaterThan(100);
    for (const s of SERVICES) expect(readRepoFile(`services/${s.name}/src/main.ts`)).toContain('runService');
    const stages = [...dockerfile.matchAll(/AS runtime-(\S+)/g)].map((m) => m[1]).filter((s) => s !== 'base');
    expect(stages.sort()).toEqual(PROCESSES.slice().sort());
  });
});
