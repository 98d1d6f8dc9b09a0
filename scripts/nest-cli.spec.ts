// nest-cli.json describes the projects exactly: every service of scripts/services.ts, the gateway
// and every lib, with paths and entry files that exist. (@nestjs/cli is not installed; the build
// is swc with .swcrc, see package.json, and `npm run dev -- <service>` is the watch mode.)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SERVICES } from './services';

const ROOT = path.resolve(__dirname, '..');
interface Project {
  type: 'application' | 'library';
  root: string;
  sourceRoot: string;
  entryFile: string;
}
const cli = JSON.parse(readFileSync(path.join(ROOT, 'nest-cli.json'), 'utf8')) as { monorepo: boolean; root: string; sourceRoot: string; projects: Record<string, Project> };

describe('nest-cli.json', () => {
  it('lists the six services, the gateway and every lib, and nothing else', () => {
    const libs = readdirSync(path.join(ROOT, 'libs')).filter((d) => existsSync(path.join(ROOT, 'libs', d, 'src')));
    const expected = [...SERVICES.map((s) => [s.name, 'application', `services/${s.name}`]), ['gateway', 'application', 'gateway'], ...libs.map((l) => [l, 'library', `libs/${l}`])];
    const actual = Object.entries(cli.projects).map(([name, p]) => [name, p.type, p.root]);
    expect(actual.sort()).toEqual(expected.sort());
  });

  it('points every project at its src folder and an entry file that exists', () => {
    for (const p of Object.values(cli.projects)) {
      expect(p.sourceRoot).toBe(`${p.root}/src`);
      expect([p.entryFile, existsSync(path.join(ROOT, p.sourceRoot, `${p.entryFile}.ts`))]).toEqual([p.type === 'application' ? 'main' : 'index', true]);
    }
    expect([cli.monorepo, cli.root, cli.sourceRoot]).toEqual([true, 'gateway', 'gateway/src']);
  });
});
