// Which Kanshi sensor products a rule's logsource covers. docs/analysis.md shows the same tables.
import { SENSOR_PRODUCTS, type SensorProductCode } from '@kanshi/events';

export const EDR_PRODUCTS: readonly SensorProductCode[] = ['FIREEYE_HX', 'CROWDSTRIKE_FALCON', 'CYBEREASON', 'CARBON_BLACK'];
export const ANTIVIRUS_PRODUCTS: readonly SensorProductCode[] = ['SYMANTEC_SEP', 'TREND_MICRO'];
export const FIREWALL_PRODUCTS: readonly SensorProductCode[] = ['FORTIGATE', 'PALO_ALTO'];

// Sigma's (and Kanshi's) logsource products. Every Kanshi product code, lower-case, is one too.
export const LOGSOURCE_PRODUCTS: Readonly<Record<string, readonly SensorProductCode[]>> = {
  windows: EDR_PRODUCTS,
  linux: EDR_PRODUCTS,
  macos: EDR_PRODUCTS,
  fireeye: ['FIREEYE_NX', 'FIREEYE_EX', 'FIREEYE_CM', 'FIREEYE_HX'],
  fortinet: ['FORTIGATE', 'FORTIWEB'],
  paloalto: ['PALO_ALTO'],
  panos: ['PALO_ALTO'],
  symantec: ['SYMANTEC_SEP'],
  trendmicro: ['TREND_MICRO'],
  crowdstrike: ['CROWDSTRIKE_FALCON'],
  carbonblack: ['CARBON_BLACK'],
  imperva: ['IMPERVA_SECURESPHERE'],
  ...Object.fromEntries(SENSOR_PRODUCTS.map((p) => [p.toLowerCase(), [p]])),
};

export const LOGSOURCE_CATEGORIES: Readonly<Record<string, readonly SensorProductCode[]>> = {
  process_creation: EDR_PRODUCTS,
  file_event: EDR_PRODUCTS,
  file_change: EDR_PRODUCTS,
  file_delete: EDR_PRODUCTS,
  registry_event: EDR_PRODUCTS,
  edr: EDR_PRODUCTS,
  antivirus: ANTIVIRUS_PRODUCTS,
  firewall: FIREWALL_PRODUCTS,
  ids: ['FIREEYE_NX', 'FIREEYE_CM', 'FORTIGATE', 'PALO_ALTO', 'GENERIC_CEF'],
  network_connection: ['FIREEYE_NX', 'FIREEYE_CM', 'FORTIGATE', 'PALO_ALTO', 'GENERIC_CEF', 'GENERIC_JSON'],
  authentication: [...FIREWALL_PRODUCTS, 'CROWDSTRIKE_FALCON', 'TREND_MICRO', 'GENERIC_CEF', 'GENERIC_JSON'],
  webserver: ['FORTIWEB', 'IMPERVA_SECURESPHERE'],
  waf: ['FORTIWEB', 'IMPERVA_SECURESPHERE'],
  email: ['FIREEYE_EX'],
};

export type LogSourceProducts = { ok: true; products: SensorProductCode[] } | { ok: false; what: 'product' | 'category' | 'both' };

/** The products both product and category allow; every product when neither is given. */
export function productsOf(product: string | undefined, category: string | undefined): LogSourceProducts {
  const byProduct = product === undefined ? SENSOR_PRODUCTS : LOGSOURCE_PRODUCTS[product.toLowerCase()];
  if (!byProduct) return { ok: false, what: 'product' };
  const byCategory = category === undefined ? SENSOR_PRODUCTS : LOGSOURCE_CATEGORIES[category.toLowerCase()];
  if (!byCategory) return { ok: false, what: 'category' };
  const products = SENSOR_PRODUCTS.filter((p) => byProduct.includes(p) && byCategory.includes(p));
  return products.length ? { ok: true, products } : { ok: false, what: 'both' };
}
