import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessError, authorize, Principal, scopeOf } from '@kanshi/auth';
import { decodeCursor, Page, pageOf, pageSize, TenantDirectory } from '@kanshi/platform';
import { ImportIocsInput } from './import-iocs.input';
import { IocIndicatorEntity } from './ioc-indicator.entity';
import { ImportSkip, parseIocContent } from './ioc-import';
import { IocListEntity } from './ioc-list.entity';
import { IocMatcher } from './ioc-matcher';
import { IocsArgs } from './iocs.args';
import { IocError } from './iocs.errors';
import { IocsPermissions } from './iocs.permissions';
import { IocsRepository } from './iocs.repository';

export interface ImportResult {
  listId: string;
  imported: number;
  skipped: ImportSkip[];
}

@Injectable()
export class IocsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: IocsRepository,
    private readonly directory: TenantDirectory,
    private readonly matcher: IocMatcher,
  ) {}

  lists(principal: Principal, customerId?: string): Promise<IocListEntity[]> {
    authorize(principal, IocsPermissions.readIocs);
    return this.repo.lists(scopeOf(principal), customerId);
  }

  // A list's indicators; a list the caller may not see (another tenant's, or a global list for a
  // tenant) reads as an empty page, like a missing one.
  async page(principal: Principal, args: IocsArgs): Promise<Page<IocIndicatorEntity>> {
    authorize(principal, IocsPermissions.readIocs);
    const first = pageSize(args);
    const after = args.after ? decodeCursor(args.after) : undefined;
    const list = await this.repo.visibleList(this.ds, scopeOf(principal), args.listId);
    if (!list) return pageOf([], first, () => ({ sortKey: '', id: '' }));
    const rows = await this.repo.page(list.id, first + 1, after);
    return pageOf(rows, first, (i) => ({ sortKey: i.value, id: i.id }));
  }

  // Parses first (a file that is not STIX or CSV at all writes nothing), then upserts the
  // indicators and bumps the revision in one transaction.
  async import(principal: Principal, input: ImportIocsInput): Promise<ImportResult> {
    authorize(principal, IocsPermissions.importIocs);
    if ((input.listId === undefined) === (input.name === undefined)) throw new IocError('LIST_TARGET_UNCLEAR', 'give either listId (an existing list) or name (a list found or created by name)', 'listId');
    const scope = scopeOf(principal);
    let owner: string | null = null;
    if (input.name !== undefined) {
      if (input.customerId !== undefined) owner = (await this.directory.visibleCustomerOrThrow(principal, input.customerId)).customerId;
      else if (!principal.isProvider) owner = principal.customerId ?? null;
      // Only provider staff own global lists; a tenant role without a customer has none to import into.
      if (owner === null && !principal.isProvider) throw new AccessError('FORBIDDEN', `role ${principal.role} may not import into global IOC lists`);
    }
    const parsed = parseIocContent(input.format, input.content, new Date());
    const result = await this.ds.transaction(async (em) => {
      let list: IocListEntity | null;
      if (input.listId !== undefined) {
        list = await this.repo.visibleList(em, scope, input.listId, true);
        if (!list) throw new IocError('IOC_LIST_NOT_FOUND', `IOC list ${input.listId} not found`, 'listId');
        await this.repo.touchList(em, list.id, { source: input.source, tlp: input.tlp, defaultConfidence: input.defaultConfidence });
        if (input.defaultConfidence !== undefined) list.defaultConfidence = input.defaultConfidence;
      } else {
        list = await this.repo.upsertList(em, { customerId: owner, name: input.name!, source: input.source, tlp: input.tlp, defaultConfidence: input.defaultConfidence, createdBy: principal.subject });
      }
      const imported = await this.repo.upsertIndicators(em, list.id, list.defaultConfidence, parsed.indicators);
      await this.repo.bumpRevision(em);
      return { listId: list.id, imported, skipped: parsed.skipped };
    });
    this.matcher.invalidate();
    return result;
  }
}
