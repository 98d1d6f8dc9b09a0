import { definePermissions, ROLES } from '@kanshi/auth';

// Every action of the contracts domain and the roles that may take it; the tenant scope then
// decides whose customers, quotes, contracts and invoices.
export const ContractsPermissions = definePermissions({
  // The catalogue's list prices and the contract terms are what every caller quotes and accepts.
  readCatalogue: { action: 'read the catalogue', roles: ROLES },
  editCatalogue: { action: 'edit the catalogue', roles: ['provider_admin'] },
  readTerms: { action: 'read the contract terms', roles: ROLES },
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
  // Activation starts the service and its billing: provider_admin, or the engineer who finished onboarding.
  activateContracts: { action: 'activate contracts', roles: ['provider_admin', 'engineer'] },
  // isolationPreApproved (and isolationOnAutomaticVerdicts) let the SOC cut a customer's endpoint off
  // its network before the customer confirms: the customer's own decision (customer_admin, its own
  // contract only) or provider_admin's on its written instruction; never sales, engineers or partners.
  preApproveIsolation: { action: 'set isolation pre-approval (isolationPreApproved, isolationOnAutomaticVerdicts)', roles: ['provider_admin', 'customer_admin'] },
  terminateContracts: { action: 'terminate contracts', roles: ['provider_admin', 'sales', 'partner_admin'] },
  acceptTerms: { action: 'accept terms', roles: ['provider_admin', 'sales', 'partner_admin', 'customer_admin'] },

  // Invoices: provider_admin and sales; a partner its own and its customers', a customer its own
  // (the tenant scope). Analysts and engineers have no business with billing.
  readInvoices: { action: 'read invoices', roles: ['provider_admin', 'sales', 'partner_admin', 'customer_admin', 'customer_viewer'] },
  readBillingRuns: { action: 'read billing runs', roles: ['provider_admin', 'sales'] },
  runBilling: { action: 'run billing', roles: ['provider_admin'] },
  changeInvoices: { action: 'change invoices', roles: ['provider_admin'] },
});
