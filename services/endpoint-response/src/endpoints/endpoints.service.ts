import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { authorize, Principal, scopeOf } from '@kanshi/auth';
import { EndpointChanged } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { TenantDirectory } from '@kanshi/platform';
import { endpointChangedBody } from './endpoint-changed';
import { EndpointEntity } from './endpoint.entity';
import { EndpointError } from './endpoints.errors';
import { EndpointsPermissions } from './endpoints.permissions';
import { EndpointsRepository } from './endpoints.repository';
import { RegisterEndpointInput } from './register-endpoint.input';

@Injectable()
export class EndpointsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: EndpointsRepository,
    private readonly directory: TenantDirectory,
    private readonly outbox: Outbox,
  ) {}

  // The caller's endpoints by host name; another tenant's never appear, even when asked for.
  async list(principal: Principal, customerId?: string): Promise<EndpointEntity[]> {
    authorize(principal, EndpointsPermissions.readEndpoints);
    return this.repo.findVisible(scopeOf(principal), customerId ? [customerId] : undefined);
  }

  // Another tenant's endpoint is absent from the map, so it reads as null like a missing one.
  async visibleByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, EndpointEntity>> {
    authorize(principal, EndpointsPermissions.readEndpoints);
    return new Map((await this.repo.visibleByIds(scopeOf(principal), ids)).map((e) => [e.id, e]));
  }

  async byCustomers(principal: Principal, customerIds: readonly string[]): Promise<Map<string, EndpointEntity[]>> {
    authorize(principal, EndpointsPermissions.readEndpoints);
    const rows = await this.repo.findVisible(scopeOf(principal), customerIds);
    const out = new Map<string, EndpointEntity[]>(customerIds.map((id) => [id, []]));
    for (const e of rows) out.get(e.customerId)?.push(e);
    return out;
  }

  // Engineers add endpoints by hand while onboarding; EDR inventory sync and alerts add the rest.
  // Published as response.endpoint.changed.v1 (version 1) like any inventory change.
  async register(principal: Principal, input: RegisterEndpointInput): Promise<EndpointEntity> {
    authorize(principal, EndpointsPermissions.registerEndpoints);
    await this.directory.visibleCustomerOrThrow(principal, input.customerId);
    return this.ds.transaction(async (em) => {
      if (await this.repo.agentTaken(em, input.edrProduct, input.edrAgentId)) {
        throw new EndpointError('DUPLICATE_AGENT', `${input.edrProduct} agent ${input.edrAgentId} is already registered`, 'edrAgentId');
      }
      const e = await this.repo.insert(em, {
        customerId: input.customerId,
        hostName: input.hostName,
        ipAddresses: input.ipAddresses ?? [],
        os: input.os ?? null,
        edrProduct: input.edrProduct,
        edrAgentId: input.edrAgentId,
        source: 'MANUAL',
        isolated: false,
        containment: 'NORMAL',
        retired: false,
        version: 1,
      });
      await this.outbox.add(em, EndpointChanged, endpointChangedBody(e), { customerId: e.customerId });
      return e;
    });
  }
}
