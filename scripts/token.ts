import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ROLES, Role, signDevToken } from '@kanshi/auth';
import { devSecret } from './dev-secret';

export const TOKEN_USAGE = 'usage: npm run token -- --role <role> [--customer <id>] [--partner <id>] [--sub <name>] [--ttl <seconds>]';

// parseArgs' own messages are long and suggest `--` forms that make no sense here: one line each.
function argumentError(err: unknown): Error {
  const code = (err as { code?: string }).code;
  const quoted = /'([^']+)'/.exec((err as Error).message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new Error(`unknown option ${quoted}`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return new Error(`${quoted.split(' ')[0]} needs a value`);
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return new Error(`unexpected argument "${quoted}"`);
  return err as Error;
}

// npm run token -- --role customer_admin --customer <id> [--partner <id>] [--sub <name>] [--ttl <seconds>]
export function parseTokenArgs(argv: string[]): { role: Role; customerId?: string; partnerId?: string; sub: string; ttl: number } {
  let values: { role?: string; customer?: string; partner?: string; sub?: string; ttl?: string };
  // A negative number after an option is its value, which parseArgs would call ambiguous (--ttl -5).
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--') && !argv[i].includes('=') && /^-\d/.test(argv[i + 1] ?? '')) args.push(`${argv[i]}=${argv[++i]}`);
    else args.push(argv[i]);
  }
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: { role: { type: 'string' }, customer: { type: 'string' }, partner: { type: 'string' }, sub: { type: 'string' }, ttl: { type: 'string' } },
    }));
  } catch (err) {
    throw argumentError(err);
  }
  const { role, customer: customerId, partner: partnerId } = values;
  if (!role) throw new Error(`--role is required (one of ${ROLES.join(', ')})`);
  if (!(ROLES as readonly string[]).includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')} (got "${role}")`);
  if (role.startsWith('customer_') && !customerId) throw new Error(`--customer <id> is required for role ${role}`);
  if (role === 'partner_admin' && !partnerId) throw new Error('--partner <id> is required for role partner_admin');
  const ttl = Number(values.ttl ?? 12 * 3600);
  if (!Number.isInteger(ttl) || ttl <= 0) throw new Error('--ttl must be a positive number of seconds');
  return { role: role as Role, customerId, partnerId, sub: values.sub ?? `dev-${role}-${randomUUID().slice(0, 8)}`, ttl };
}

async function main(): Promise<void> {
  let a: ReturnType<typeof parseTokenArgs>;
  try {
    a = parseTokenArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`token: ${(err as Error).message}; ${TOKEN_USAGE}`);
    process.exit(2);
  }
  console.log(await signDevToken({ sub: a.sub, role: a.role, customerId: a.customerId, partnerId: a.partnerId }, devSecret(), a.ttl));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`token: ${(err as Error).message}`);
    process.exit(1);
  });
}
