import { parseTokenArgs } from './token';

describe('npm run token', () => {
  it('reads the role and the tenant ids', () => {
    const a = parseTokenArgs(['--role', 'customer_admin', '--customer', '8a0c3b8e-2a52-4d43-9d7e-0b0f1c8f5a11']);
    expect(a).toMatchObject({ role: 'customer_admin', customerId: '8a0c3b8e-2a52-4d43-9d7e-0b0f1c8f5a11', ttl: 43200 });
  });

  it('reads --name=value and a chosen subject and lifetime', () => {
    expect(parseTokenArgs(['--role=partner_admin', '--partner=p-1', '--sub', 'me@example.jp', '--ttl', '60'])).toEqual({
      role: 'partner_admin',
      partnerId: 'p-1',
      customerId: undefined,
      sub: 'me@example.jp',
      ttl: 60,
    });
  });

  it.each([
    [[], /^--role is required/],
    [['--role', 'root'], /^--role must be one of provider_admin, analyst/],
    [['--role', 'customer_viewer'], /^--customer <id> is required for role customer_viewer$/],
    [['--role', 'partner_admin'], /^--partner <id> is required/],
    [['--role', 'analyst', '--ttl', '-5'], /^--ttl must be a positive number/],
    [['--role', 'analyst', '--ttl', '1.5'], /^--ttl must be a positive number/],
    [['--role', 'analyst', '--colour', 'blue'], /^unknown option --colour$/],
    [['--role', 'analyst', '-x'], /^unknown option -x$/],
    [['--role'], /^--role needs a value$/],
    [['--role', '--customer', 'c-1'], /^--role needs a value$/],
    [['--role', 'analyst', '--ttl'], /^--ttl needs a value$/],
    [['analyst'], /^unexpected argument "analyst"$/],
  ])('rejects %j with one line naming the problem', (argv, message) => {
    expect(() => parseTokenArgs(argv as string[])).toThrow(message);
  });
});
