import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

// Reading the rendered Kubernetes manifests for the offline checks (manifests.spec.ts).

export const REPO = path.resolve(__dirname, '..', '..');
export const OVERLAYS = ['dev', 'prod'] as const;
export type Overlay = (typeof OVERLAYS)[number];

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, any>;
  data?: Record<string, string>;
  [key: string]: unknown;
}

export function render(overlay: Overlay): K8sObject[] {
  const out = execFileSync('kubectl', ['kustomize', path.join(REPO, 'k8s', 'overlays', overlay)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return parseYamlDocuments(out);
}

export function parseYamlDocuments(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length) throw new Error(d.errors.map((e) => e.message).join('; '));
      return d.toJSON() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

export function readRepoFile(rel: string): string {
  return readFileSync(path.join(REPO, rel), 'utf8');
}

// Does a label selector (matchLabels only, as ours are) select these labels?
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || !labels) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

// The pod templates of the workloads (Deployments and Jobs), with their kind and name.
export function workloads(objects: K8sObject[]): { kind: string; name: string; labels: Record<string, string>; pod: Record<string, any> }[] {
  return objects
    .filter((o) => o.kind === 'Deployment' || o.kind === 'Job')
    .map((o) => ({ kind: o.kind, name: o.metadata.name, labels: o.spec!.template.metadata.labels as Record<string, string>, pod: o.spec!.template.spec as Record<string, any> }));
}
