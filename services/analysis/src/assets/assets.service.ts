import { Injectable } from '@nestjs/common';
import { authorize, Principal, scopeOf } from '@kanshi/auth';
import { TenantDirectory } from '@kanshi/platform';
import { AssetContextService } from './asset-context.service';
import { AssetError } from './assets.errors';
import { AssetsPermissions } from './assets.permissions';
import { AssetsRepository, CriticalAssetRow } from './assets.repository';
import { MarkCriticalAssetInput } from './mark-critical-asset.input';

const LIST_LIMIT = 1000;

@Injectable()
export class AssetsService {
  constructor(
    private readonly repo: AssetsRepository,
    private readonly directory: TenantDirectory,
    private readonly context: AssetContextService,
  ) {}

  async criticalAssets(principal: Principal, customerId?: string): Promise<CriticalAssetRow[]> {
    authorize(principal, AssetsPermissions.readCriticalAssets);
    const rows = await this.repo.listCritical(scopeOf(principal), customerId);
    if (rows.length > LIST_LIMIT) throw new AssetError('TOO_MANY_CRITICAL_ASSETS', `more than ${LIST_LIMIT} critical assets match: narrow by customerId`, 'customerId');
    return rows;
  }

  async markCriticalAsset(principal: Principal, input: MarkCriticalAssetInput): Promise<CriticalAssetRow> {
    authorize(principal, AssetsPermissions.markCriticalAssets);
    await this.directory.visibleCustomerOrThrow(principal, input.customerId);
    const hostName = input.hostName?.trim().toLowerCase() || null;
    const ip = input.ip ?? null;
    if (!hostName && !ip) throw new AssetError('ASSET_UNNAMED', 'a critical asset needs a hostName or an ip', 'hostName');
    const row = await this.repo.insertCritical({ customerId: input.customerId, hostName, ip, note: input.note, createdBy: principal.subject });
    if (!row) throw new AssetError('ALREADY_CRITICAL', `${[hostName, ip].filter(Boolean).join(' / ')} is already marked critical`, hostName ? 'hostName' : 'ip');
    this.context.invalidate();
    return row;
  }
}
