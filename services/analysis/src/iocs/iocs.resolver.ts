import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { ImportIocsInput } from './import-iocs.input';
import { IocImportResultObject } from './ioc-import-result.object';
import { IocConnection } from './ioc-indicator.object';
import { IocListObject } from './ioc-list.object';
import { IocsArgs } from './iocs.args';
import { IocsPermissions } from './iocs.permissions';
import { IocsService } from './iocs.service';

@Resolver(() => IocListObject)
export class IocsResolver {
  constructor(private readonly service: IocsService) {}

  @Query(() => [IocListObject], { description: "IOC lists: provider staff see every list, partners and customers only their own customers' lists (never global ones)" })
  @CallableBy(IocsPermissions.readIocs)
  iocLists(@CurrentPrincipal() principal: Principal, @Args('customerId', { type: () => ID, nullable: true, description: "Only this customer's lists" }) customerId?: string) {
    return this.service.lists(principal, customerId ?? undefined);
  }

  @Query(() => IocConnection, { description: 'The indicators of a list the caller may see, by value; empty for a list it may not see' })
  @CallableBy(IocsPermissions.readIocs)
  iocs(@CurrentPrincipal() principal: Principal, @Args() args: IocsArgs) {
    return this.service.page(principal, args);
  }

  @Mutation(() => IocImportResultObject, { description: 'Imports a STIX 2.1 bundle or a CSV list; bad rows are reported and the rest imported; an indicator already in the list is updated' })
  @CallableBy(IocsPermissions.importIocs)
  importIocs(@CurrentPrincipal() principal: Principal, @Args('input', { description: 'The list and the content' }) input: ImportIocsInput) {
    return this.service.import(principal, input);
  }
}
