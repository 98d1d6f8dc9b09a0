import { bool, ConfigError, cron, int, loadPlatformConfig, optionalStr, port, str, url } from '@kanshi/config';
import { checkRegistrationNumber } from './customers/registration-number';

// Routes for the outside world, served on PUBLIC_PORT only (libs/platform public-port.ts).
export const PUBLIC_ROUTES = ['/webhooks/stripe'];

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadPlatformConfig(
    'contracts',
    {
      PORT: port(4101),
      // Stripe's webhook (PUBLIC_ROUTES) listens here, apart from GraphQL, metrics and health on
      // PORT; 0 switches it off.
      PUBLIC_PORT: port(4201),
      // The qualified invoice issuer printed on every invoice (the SOC provider).
      INVOICE_ISSUER_NAME: str({ default: 'Kanshi SOC K.K.' }),
      INVOICE_ISSUER_REGISTRATION_NUMBER: str({ default: 'T7123456789012' }),
      // Invoice numbers are <prefix>-<year>-<sequence>, gap-free per prefix and year.
      INVOICE_NUMBER_PREFIX: str({ default: 'INV' }),
      QUOTE_NUMBER_PREFIX: str({ default: 'Q' }),
      // Unset: due at the end of the month after closing (翌月末). Set: this many days after closing.
      INVOICE_DUE_IN_DAYS: optionalStr(),
      TAX_ROUNDING: str({ default: 'floor', oneOf: ['floor', 'round', 'ceil'] }),
      QUOTE_VALIDITY_DAYS: int({ default: 30, min: 1, max: 365 }),
      // Recipients per transaction in a billing run: bigger is faster, smaller holds locks shorter.
      BILLING_CHUNK_SIZE: int({ default: 500, min: 1, max: 5000 }),
      // The monthly billing run of the month just closed, in Asia/Tokyo time: 00:05 on the 1st.
      BILLING_RUN_CRON: cron({ default: '5 0 1 * *' }),
      // At every start and hourly: bill the month just closed if its scheduled run was missed.
      BILLING_CATCH_UP: bool(true),
      // Hourly: ask every service to delete the data of customers whose contract ended and whose
      // log retention has since passed (contracts.customer.data-purge-due.v1).
      DATA_PURGE_CRON: cron({ default: '23 * * * *' }),
      // Stripe is optional: without an API key invoices wait in "pending sync" until one is set.
      STRIPE_API_KEY: optionalStr(),
      STRIPE_WEBHOOK_SECRET: optionalStr(),
      // Only for tests and local development: a Stripe-speaking server, e.g. http://127.0.0.1:12111.
      STRIPE_API_BASE: optionalStr(),
      STRIPE_SYNC_INTERVAL_MS: int({ default: 5_000, min: 10 }),
      STRIPE_RETRY_BASE_MS: int({ default: 5_000, min: 1 }),
      STRIPE_RETRY_MAX_MS: int({ default: 3_600_000, min: 1 }),
      STRIPE_TIMEOUT_MS: int({ default: 20_000, min: 100 }),
    },
    env,
  );
  const problems: string[] = [];
  const issuer = checkRegistrationNumber(config.INVOICE_ISSUER_REGISTRATION_NUMBER);
  if (!issuer.valid) problems.push(`INVOICE_ISSUER_REGISTRATION_NUMBER ${issuer.message}`);
  for (const name of ['INVOICE_NUMBER_PREFIX', 'QUOTE_NUMBER_PREFIX'] as const) {
    if (!/^[A-Z][A-Z0-9]{0,9}$/.test(config[name])) problems.push(`${name} must be 1-10 upper-case letters or digits, starting with a letter`);
  }
  let dueInDays: number | undefined;
  if (config.INVOICE_DUE_IN_DAYS !== undefined) {
    dueInDays = Number(config.INVOICE_DUE_IN_DAYS);
    if (!Number.isSafeInteger(dueInDays) || dueInDays < 0 || dueInDays > 366) problems.push('INVOICE_DUE_IN_DAYS must be a whole number of days from 0 to 366');
  }
  if (config.STRIPE_API_KEY && !config.STRIPE_WEBHOOK_SECRET) problems.push('STRIPE_WEBHOOK_SECRET is required when STRIPE_API_KEY is set');
  if (config.STRIPE_API_BASE !== undefined) {
    try {
      url({ protocols: ['http:', 'https:'] }).parse(config.STRIPE_API_BASE, 'STRIPE_API_BASE');
    } catch (err) {
      problems.push(`STRIPE_API_BASE ${(err as Error).message}`);
    }
  }
  if (problems.length) throw new ConfigError('contracts', problems);
  return { ...config, TAX_ROUNDING: config.TAX_ROUNDING as 'floor' | 'round' | 'ceil', invoiceDueInDays: dueInDays };
}
export type ContractsConfig = ReturnType<typeof loadConfig>;
