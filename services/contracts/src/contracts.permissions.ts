import { definePermissions, PROVIDER_ROLES, ROLES } from '@kanshi/auth';

// Every action of the contracts domain and the roles that may take it; the tenant scope then
// decides whose customers, quotes, contracts and invoices.
export const ContractsPermissions = definePermissions({
  editCatalogue: { action: 'edit the catalogue', roles: ['provider_admin'] },
  publishTerms: { action: 'publish terms', roles: ['provider_admin'] },

  readCustomers: { action: 'read customers', roles: ROLES },
  // A partner creates customers under itself only; provider staff may create either kind.
  createCustomers: { action: 'create customers', roles: ['provider_admin', 'sales', 'partner_admin'] },
  readPartners: { action: 'read partners', roles: ROLES },
  createPartners: { action: 'create partners', roles: ['provider_admin', 'sales'] },
  // partner prices, discounts and quote limits are the provider's commercial decision
  setPartnerPricing: { action: 'set partner prices', roles: ['provider_admin'] },

  readQuotes: { action: 'read quotes', roles: ROLES },
  manageQuotes: { action: 'manage quotes', roles: ['provider_admin', 'sales', 'partner_admin'] },
  // a partner's discount or custom lines beyond its limits
  approveQuotes: { action: 'approve quotes', roles: ['provider_admin'] },

  readContracts: { action: 'read contracts', roles: ROLES },
  acceptQuotes: { action: 'accept quotes', roles: ['provider_admin', 'sales', 'partner_admin', 'customer_admin'] },
  // Raw logs kept beyond the plan's 3 months are a priced change: provider staff make it (or a quote).
  extendLogRetention: { action: "keep raw logs longer than the plan's 3 months (a priced change)", roles: ['provider_admin', 'sales'] },
  changeContracts: { action: 'change contracts', roles: ['provider_admin', 'sales', 'engineer', 'partner_admin', 'customer_admin'] },
  confirmContacts: { action: 'confirm contacts', roles: ['provider_admin', 'sales', 'engineer', 'partner_admin', 'customer_admin'] },
  activateContracts: { action: 'activate contracts', roles: PROVIDER_ROLES },
  terminateContracts: { action: 'terminate contracts', roles: ['provider_admin', 'sales', 'partner_admin'] },
  acceptTerms: { action: 'accept terms', roles: ['provider_admin', 'sales', 'partner_admin', 'customer_admin'] },

  readInvoices: { action: 'read invoices', roles: ROLES },
  readBillingRuns: { action: 'read billing runs', roles: PROVIDER_ROLES },
  runBilling: { action: 'run billing', roles: ['provider_admin'] },
  changeInvoices: { action: 'change invoices', roles: ['provider_admin'] },
});
