import { Injectable } from '@nestjs/common';
import { createLogger } from '@kanshi/observability';
import { RulesRepository } from '../rules.repository';
import { parseSigmaRule } from '../sigma/sigma-parser';
import { readPack, type PackFile } from './rule-pack';

export interface PackSync {
  added: number;
  updated: number;
  removed: number;
}

// Applies the shipped pack at boot (idempotent; one replica at a time under a lock): a new file
// adds its rule, a changed file makes the rule's next version, a removed file turns its rule off.
// A rule provider staff edited keeps their version until the shipped file itself changes; nobody's
// enabled flag or per-customer setting is touched.
@Injectable()
export class RulePackService {
  private readonly log = createLogger('RulePackService');

  constructor(private readonly repo: RulesRepository) {}

  async sync(files: PackFile[] = readPack()): Promise<PackSync> {
    // A broken pack file is a build defect (the pack spec fails first): refuse to boot with it.
    const parsed = files.map((f) => ({ ...f, rule: parseSigmaRule(f.yaml) }));
    const out = await this.repo.withPackLock(async (tx) => {
      const result: PackSync = { added: 0, updated: 0, removed: 0 };
      const existing = new Map((await this.repo.packRules(tx)).map((r) => [r.packFile!, r]));
      for (const f of parsed) {
        const row = existing.get(f.file);
        if (!row) {
          await this.repo.insert({ yaml: f.yaml, rule: f.rule }, 'rule-pack', { file: f.file, hash: f.hash }, tx);
          result.added++;
        } else if (row.packHash !== f.hash) {
          await this.repo.update(row.id, { write: { yaml: f.yaml, rule: f.rule }, pack: { hash: f.hash } }, 'rule-pack', tx);
          result.updated++;
        }
        existing.delete(f.file);
      }
      for (const gone of existing.values()) {
        if (!gone.enabled) continue;
        await this.repo.disableRemovedFromPack(tx, gone.id);
        result.removed++;
      }
      return result;
    });
    if (out.added || out.updated || out.removed) this.log.info(out, 'rule pack applied');
    return out;
  }
}
