import { randomUUID } from 'node:crypto';
import { ROLES, Role, signDevToken } from '@kanshi/auth';
import { devSecret } from './dev-secret';

// npm run token -- --role customer_admin --customer <id> [--partner <id>] [--sub <name>] [--ttl <seconds>]
export function parseTokenArgs(argv: string[]): { role: Role; customerId?: string; partnerId?: string; sub: string; ttl: number } {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"`);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new Error(`${a} needs a value`);
    args.set(a.slice(2), value);
    i++;
  }
  const role = args.get('role');
  if (!role) throw new Error(`--role is required (one of ${ROLES.join(', ')})`);
  if (!(ROLES as readonly string[]).includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')} (got "${role}")`);
  const customerId = args.get('customer');
  const partnerId = args.get('partner');
  if (role.startsWith('customer_') && !customerId) throw new Error(`--customer <id> is required for role ${role}`);
  if (role === 'partner_admin' && !partnerId) throw new Error('--partner <id> is required for role partner_admin');
  const ttl = Number(args.get('ttl') ?? 12 * 3600);
  if (!Number.isInteger(ttl) || ttl <= 0) throw new Error('--ttl must be a positive number of seconds');
  for (const k of args.keys()) if (!['role', 'customer', 'partner', 'sub', 'ttl'].includes(k)) throw new Error(`unknown option --${k}`);
  return { role: role as Role, customerId, partnerId, sub: args.get('sub') ?? `dev-${role}-${randomUUID().slice(0, 8)}`, ttl };
}

if (require.main === module) {
  try {
    const a = parseTokenArgs(process.argv.slice(2));
    signDevToken({ sub: a.sub, role: a.role, customerId: a.customerId, partnerId: a.partnerId }, devSecret(), a.ttl).then((t) => console.log(t));
  } catch (err) {
    console.error(`token: ${(err as Error).message}`);
    process.exit(2);
  }
}
