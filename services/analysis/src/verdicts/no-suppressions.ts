import { Injectable } from '@nestjs/common';
import { SuppressionMatcherPort } from './suppression-matcher.port';

// TO BE REPLACED AT MERGE by the suppressions module's matcher: nothing is suppressed.
@Injectable()
export class NoSuppressions implements SuppressionMatcherPort {
  match(): null {
    return null;
  }

  recordHit(): Promise<void> {
    return Promise.resolve();
  }
}
