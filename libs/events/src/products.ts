// The sensor products Kanshi covers (seed/README.md): what ingestion parses and what a contract's
// `monitoredProducts` may name. One list, shared by both sides of that contract.
export const SENSOR_PRODUCTS = [
  'FIREEYE_NX',
  'FIREEYE_EX',
  'FIREEYE_CM',
  'FIREEYE_HX',
  'FORTIGATE',
  'FORTIWEB',
  'PALO_ALTO',
  'IMPERVA_SECURESPHERE',
  'SYMANTEC_SEP',
  'TREND_MICRO',
  'CROWDSTRIKE_FALCON',
  'CYBEREASON',
  'CARBON_BLACK',
  'GENERIC_CEF',
  'GENERIC_JSON',
] as const;

export type SensorProductCode = (typeof SENSOR_PRODUCTS)[number];
