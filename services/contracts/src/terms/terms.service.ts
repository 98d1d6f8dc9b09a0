import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { authorize, Principal } from '@kanshi/auth';
import { Clock, toTokyoDate } from '@kanshi/calendar';
import { ContractsError } from '../contracts.errors';
import { ContractsPermissions } from '../contracts.permissions';
import { PublishTermsVersionInput } from './publish-terms.input';
import { TermsAcceptanceEntity, TermsVersionEntity } from './terms.entity';
import { TermsVersionObject } from './terms.object';
import { TermsRepository } from './terms.repository';

@Injectable()
export class TermsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: TermsRepository,
    private readonly clock: Clock,
  ) {}

  async versions(): Promise<TermsVersionObject[]> {
    const [all, current] = await Promise.all([this.repo.all(), this.repo.current(this.ds.manager, this.clock.today())]);
    return all.map((t) => view(t, t.version === current?.version));
  }

  // New terms take effect on a date; from then on new contracts accept them, and running
  // contracts can record their acceptance (acceptTerms).
  async publish(principal: Principal, input: PublishTermsVersionInput): Promise<TermsVersionObject> {
    authorize(principal, ContractsPermissions.publishTerms);
    const effectiveDate = toTokyoDate(input.effectiveDate, 'effectiveDate');
    if (effectiveDate < this.clock.today()) throw new ContractsError('BAD_INPUT', 'terms cannot take effect in the past', 'effectiveDate');
    const saved = await this.ds.transaction(async (em) => {
      await this.repo.lock(em);
      if (await this.repo.find(em, input.version)) throw new ContractsError('BAD_INPUT', `terms version ${input.version} already exists`, 'version');
      const latest = await this.repo.latestEffectiveDate(em);
      if (latest && effectiveDate <= latest) throw new ContractsError('BAD_INPUT', `the latest terms take effect on ${latest}; a new version must start after that`, 'effectiveDate');
      return this.repo.insertVersion(em, {
        version: input.version,
        effectiveDate,
        title: input.title,
        body: input.text,
        sha256: sha256(input.text),
        publishedBy: principal.subject,
        publishedAt: this.clock.now(),
      });
    });
    return view(saved, effectiveDate === this.clock.today());
  }

  // The caller must accept exactly the version in force today.
  async currentOrThrow(em: EntityManager, version: string): Promise<TermsVersionEntity> {
    const current = await this.repo.current(em, this.clock.today());
    if (!current) throw new ContractsError('CONFLICT', 'no terms version is in force');
    if (version !== current.version) {
      const known = await this.repo.find(em, version);
      throw new ContractsError('BAD_INPUT', known ? `terms version ${version} is not the one in force; accept ${current.version} (${current.effectiveDate})` : `unknown terms version ${JSON.stringify(version)}; the terms in force are ${current.version}`, 'termsVersion');
    }
    return current;
  }

  // Records who accepted which text, when: the hash is of the stored text, so the record proves
  // what was shown even if a later version is published.
  record(em: EntityManager, terms: TermsVersionEntity, contract: { id: string; customerId: string }, principal: Principal): Promise<TermsAcceptanceEntity> {
    return this.repo.insertAcceptance(em, {
      contractId: contract.id,
      customerId: contract.customerId,
      termsVersion: terms.version,
      termsSha256: terms.sha256,
      acceptedBy: principal.subject,
      acceptedByRole: principal.role,
      acceptedAt: this.clock.now(),
    });
  }

  alreadyAccepted(em: EntityManager, contractId: string, version: string): Promise<boolean> {
    return this.repo.acceptanceExists(em, contractId, version);
  }

  acceptancesOf(contractIds: readonly string[]): Promise<TermsAcceptanceEntity[]> {
    return this.repo.acceptancesOf(contractIds);
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function view(t: TermsVersionEntity, current: boolean): TermsVersionObject {
  return { version: t.version, effectiveDate: t.effectiveDate, title: t.title, text: t.body, sha256: t.sha256, current, publishedAt: t.publishedAt };
}
