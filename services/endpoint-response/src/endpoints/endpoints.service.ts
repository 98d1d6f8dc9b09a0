import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal, scopeOf } from '@kanshi/auth';
import { canSeeCustomerId, TenantDirectory } from '@kanshi/platform';
import { EndpointEntity } from './endpoint.entity';
import { EndpointResponseError, EndpointResponseErrorCode } from './endpoint-response.errors';
import { EndpointsRepository } from './endpoints.repository';
import { RegisterEndpointInput } from './register-endpoint.input';

@Injectable()
export class EndpointsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: EndpointsRepository,
    private readonly directory: TenantDirectory,
  ) {}

  list(principal: Principal, customerId?: string): Promise<EndpointEntity[]> {
    return this.repo.findVisible(scopeOf(principal), customerId ? [customerId] : undefined);
  }

  async byCustomers(principal: Principal, customerIds: readonly string[]): Promise<Map<string, EndpointEntity[]>> {
    const rows = await this.repo.findVisible(scopeOf(principal), customerIds);
    const out = new Map<string, EndpointEntity[]>(customerIds.map((id) => [id, []]));
    for (const e of rows) out.get(e.customerId)?.push(e);
    return out;
  }

  // Engineers add endpoints by hand while onboarding; EDR inventory sync adds the rest.
  async register(principal: Principal, input: RegisterEndpointInput): Promise<EndpointEntity> {
    if (!principal.hasRole('provider_admin', 'engineer')) throw new EndpointResponseError(EndpointResponseErrorCode.FORBIDDEN, `role ${principal.role} may not register endpoints`);
    const known = await this.directory.lookup(input.customerId);
    if (!known || !(await canSeeCustomerId(this.directory, scopeOf(principal), input.customerId))) {
      throw new EndpointResponseError(EndpointResponseErrorCode.CUSTOMER_NOT_FOUND, `customer ${input.customerId} not found`, 'customerId');
    }
    return this.ds.transaction(async (em) => {
      if (await this.repo.agentTaken(em, input.edrProduct, input.edrAgentId)) {
        throw new EndpointResponseError(EndpointResponseErrorCode.DUPLICATE_AGENT, `${input.edrProduct} agent ${input.edrAgentId} is already registered`, 'edrAgentId');
      }
      return this.repo.insert(em, {
        customerId: input.customerId,
        hostName: input.hostName,
        ipAddresses: input.ipAddresses ?? [],
        os: input.os ?? null,
        edrProduct: input.edrProduct,
        edrAgentId: input.edrAgentId,
      });
    });
  }
}
