// Which of a service's tables hold a customer's data, and what happens to them when the
// customer's contract has ended and its retention has passed (contracts.customer.data-purge-due.v1).
// Every table of the service's schema with a customer_id column is listed, either purged or kept
// with the reason (scripts/customer-data-catalogue.int-spec.ts fails otherwise).
export interface PurgedTable {
  // schema.table
  table: string;
  // Which rows are the customer's, with $1 the customer id; default `customer_id = $1`. For a
  // child table without customer_id: `incident_id IN (SELECT id FROM incident.incident WHERE customer_id = $1)`.
  where?: string;
}

export interface CustomerDataCatalogue {
  // Deleted in this order (children before the rows they reference).
  purge: PurgedTable[];
  // Tables with customer_id that are kept, and why.
  keep: Record<string, string>;
}

const NAME = /^[a-z_]+\.[a-z_]+$/;

export function defineCustomerData(catalogue: CustomerDataCatalogue): CustomerDataCatalogue {
  for (const t of [...catalogue.purge.map((p) => p.table), ...Object.keys(catalogue.keep)]) {
    if (!NAME.test(t)) throw new Error(`customer data catalogue: "${t}" is not schema.table`);
  }
  const purged = catalogue.purge.map((p) => p.table);
  const twice = purged.filter((t, i) => purged.indexOf(t) !== i || t in catalogue.keep);
  if (twice.length) throw new Error(`customer data catalogue: ${twice.join(', ')} listed twice`);
  return catalogue;
}
