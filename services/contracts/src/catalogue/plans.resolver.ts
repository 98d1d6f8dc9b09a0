import { Query, Resolver } from '@nestjs/graphql';
import { PlanObject } from './plan.object';
import { PlansRepository } from './plans.repository';

@Resolver(() => PlanObject)
export class PlansResolver {
  constructor(private readonly repo: PlansRepository) {}

  @Query(() => [PlanObject], { description: 'The plan catalogue in force now' })
  plans() {
    return this.repo.current();
  }
}
