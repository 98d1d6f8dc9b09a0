import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from '@kanshi/calendar';
import { StripeAdapter } from './adapters/stripe.adapter';
import { ContractsConfig } from './config';

export const CONTRACTS_CONFIG = Symbol('CONTRACTS_CONFIG');
// StripeAdapter, or null when no STRIPE_API_KEY is configured (invoices then wait, pending sync).
export const STRIPE = Symbol('STRIPE');

export interface ContractsModuleOptions {
  clock?: Clock;
  // Runs the Stripe sync and overdue loop in the background; tests may drive it by hand instead.
  startWorkers?: boolean;
}
export const CONTRACTS_OPTIONS = Symbol('CONTRACTS_OPTIONS');

// What every feature module of the service shares: its configuration, its clock, its Stripe.
@Global()
@Module({})
export class ContractsCoreModule {
  static forRoot(config: ContractsConfig, opts: ContractsModuleOptions = {}): DynamicModule {
    return {
      module: ContractsCoreModule,
      providers: [
        { provide: CONTRACTS_CONFIG, useValue: config },
        { provide: CONTRACTS_OPTIONS, useValue: opts },
        { provide: Clock, useValue: opts.clock ?? new SystemClock() },
        { provide: STRIPE, useFactory: () => stripeAdapterFrom(config) },
      ],
      exports: [CONTRACTS_CONFIG, CONTRACTS_OPTIONS, Clock, STRIPE],
    };
  }
}

export function stripeAdapterFrom(config: ContractsConfig): StripeAdapter | null {
  if (!config.STRIPE_API_KEY || !config.STRIPE_WEBHOOK_SECRET) return null;
  const base = config.STRIPE_API_BASE ? new URL(config.STRIPE_API_BASE) : null;
  return new StripeAdapter({
    apiKey: config.STRIPE_API_KEY,
    webhookSecret: config.STRIPE_WEBHOOK_SECRET,
    timeoutMs: config.STRIPE_TIMEOUT_MS,
    // The sync loop retries with its own back-off; one quick SDK retry absorbs a blip.
    maxNetworkRetries: 1,
    ...(base
      ? {
          host: base.hostname,
          port: base.port ? Number(base.port) : base.protocol === 'https:' ? 443 : 80,
          protocol: base.protocol === 'https:' ? ('https' as const) : ('http' as const),
        }
      : {}),
  });
}
