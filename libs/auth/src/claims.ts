export const ROLES = ['provider_admin', 'analyst', 'engineer', 'sales', 'partner_admin', 'customer_admin', 'customer_viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PROVIDER_ROLES: readonly Role[] = ['provider_admin', 'analyst', 'engineer', 'sales'];
export const PARTNER_ROLES: readonly Role[] = ['partner_admin'];
export const CUSTOMER_ROLES: readonly Role[] = ['customer_admin', 'customer_viewer'];

export interface KanshiClaims {
  sub: string;
  role: Role;
  partnerId?: string;
  customerId?: string;
}

// The verified caller. Built only from a verified token.
export class Principal {
  private constructor(
    readonly subject: string,
    readonly role: Role,
    readonly partnerId: string | null,
    readonly customerId: string | null,
    readonly token: string,
  ) {}

  static fromClaims(payload: Record<string, unknown>, token: string): Principal {
    const role = payload.role;
    if (typeof payload.sub !== 'string' || !payload.sub) throw new InvalidClaimsError('the token has no subject (sub)');
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) throw new InvalidClaimsError(`unknown role "${String(role)}"`);
    const partnerId = typeof payload.partnerId === 'string' ? payload.partnerId : null;
    const customerId = typeof payload.customerId === 'string' ? payload.customerId : null;
    if (PARTNER_ROLES.includes(role as Role) && !partnerId) throw new InvalidClaimsError(`role ${role} requires a partnerId claim`);
    if (CUSTOMER_ROLES.includes(role as Role) && !customerId) throw new InvalidClaimsError(`role ${role} requires a customerId claim`);
    return new Principal(payload.sub, role as Role, partnerId, customerId, token);
  }

  get isProvider(): boolean {
    return PROVIDER_ROLES.includes(this.role);
  }

  get isPartner(): boolean {
    return PARTNER_ROLES.includes(this.role);
  }

  get isCustomer(): boolean {
    return CUSTOMER_ROLES.includes(this.role);
  }

  hasRole(...roles: Role[]): boolean {
    return roles.includes(this.role);
  }
}

export class InvalidClaimsError extends Error {
  override name = 'InvalidClaimsError';
}
