// Every vendor sample kept in the project (services/ingestion/src/parsers/__fixtures__), split into
// the records a sensor sends, and run through ingestion's real parsers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeDeviceText } from '../../services/ingestion/src/parsers/charset';
import { parseRecord } from '../../services/ingestion/src/parsers/parse';
import type { NormalizedEvent, SensorProduct } from '../../services/ingestion/src/parsers/types';

const DIR = path.join(__dirname, '..', '..', 'services', 'ingestion', 'src', 'parsers', '__fixtures__');

const text = (name: string): string => fs.readFileSync(path.join(DIR, name), 'utf8');
const sjis = (name: string): string => decodeDeviceText(fs.readFileSync(path.join(DIR, name))).trim();
const whole = (name: string): string[] => [text(name).trim()];
const lines = (name: string): string[] => text(name).split(/\r?\n/).filter((l) => l.trim() !== '');

// file -> [product, records]; a JSON document or a mail body is one record, a log file one per line.
export const VENDOR_SAMPLES: Record<string, [SensorProduct, () => string[]]> = {
  'carbonblack-alert-v7.json': ['CARBON_BLACK', () => whole('carbonblack-alert-v7.json')],
  'carbonblack-watchlist-v7.json': ['CARBON_BLACK', () => whole('carbonblack-watchlist-v7.json')],
  'crowdstrike-auth-audit.json': ['CROWDSTRIKE_FALCON', () => whole('crowdstrike-auth-audit.json')],
  'crowdstrike-detection-summary.json': ['CROWDSTRIKE_FALCON', () => whole('crowdstrike-detection-summary.json')],
  'crowdstrike-epp-alert.json': ['CROWDSTRIKE_FALCON', () => whole('crowdstrike-epp-alert.json')],
  'cybereason-malop-prevented.json': ['CYBEREASON', () => whole('cybereason-malop-prevented.json')],
  'cybereason-malop.json': ['CYBEREASON', () => whole('cybereason-malop.json')],
  'fireeye-cef.log': ['FIREEYE_NX', () => lines('fireeye-cef.log')],
  'fireeye-cm-aggregated.json': ['FIREEYE_CM', () => whole('fireeye-cm-aggregated.json')],
  'fireeye-cm-camelcase.json': ['FIREEYE_CM', () => whole('fireeye-cm-camelcase.json')],
  'fireeye-cm-text-concise.txt': ['FIREEYE_CM', () => whole('fireeye-cm-text-concise.txt')],
  'fireeye-ex-email.json': ['FIREEYE_EX', () => whole('fireeye-ex-email.json')],
  'fireeye-ex-text-normal.txt': ['FIREEYE_EX', () => whole('fireeye-ex-text-normal.txt')],
  'fireeye-ex-url.json': ['FIREEYE_EX', () => whole('fireeye-ex-url.json')],
  'fireeye-hx.json': ['FIREEYE_HX', () => whole('fireeye-hx.json')],
  'fireeye-mail-body.txt': ['FIREEYE_NX', () => whole('fireeye-mail-body.txt')],
  'fireeye-nx-extended.json': ['FIREEYE_NX', () => whole('fireeye-nx-extended.json')],
  'fireeye-nx-text-normal.txt': ['FIREEYE_NX', () => whole('fireeye-nx-text-normal.txt')],
  'fortigate-ja.sjis.log': ['FORTIGATE', () => [sjis('fortigate-ja.sjis.log')]],
  'fortigate-more.log': ['FORTIGATE', () => lines('fortigate-more.log')],
  'fortigate-utm.log': ['FORTIGATE', () => lines('fortigate-utm.log')],
  'fortiweb.log': ['FORTIWEB', () => lines('fortiweb.log')],
  'generic-cef.log': ['GENERIC_CEF', () => lines('generic-cef.log')],
  'generic.ndjson': ['GENERIC_JSON', () => lines('generic.ndjson')],
  'imperva-securesphere-cef.log': ['IMPERVA_SECURESPHERE', () => lines('imperva-securesphere-cef.log')],
  'paloalto-by-version.log': ['PALO_ALTO', () => lines('paloalto-by-version.log')],
  'paloalto-panos10.log': ['PALO_ALTO', () => lines('paloalto-panos10.log')],
  'paloalto-threat.log': ['PALO_ALTO', () => lines('paloalto-threat.log')],
  'symantec-sep-ja.sjis.log': ['SYMANTEC_SEP', () => [sjis('symantec-sep-ja.sjis.log')]],
  'symantec-sep-more.log': ['SYMANTEC_SEP', () => lines('symantec-sep-more.log')],
  'symantec-sep.log': ['SYMANTEC_SEP', () => lines('symantec-sep.log')],
  'trendmicro-cef.log': ['TREND_MICRO', () => lines('trendmicro-cef.log')],
  'trendmicro-deepsecurity-cef.log': ['TREND_MICRO', () => lines('trendmicro-deepsecurity-cef.log')],
  'trendmicro-leef.log': ['TREND_MICRO', () => lines('trendmicro-leef.log')],
};

export const SAMPLE_FILES = (): string[] => fs.readdirSync(DIR).filter((f) => !f.startsWith('.')).sort();

export interface ParsedSample {
  /** `<file>#<n>`: the n-th event (from 1) the file's records yield. */
  name: string;
  product: SensorProduct;
  event: NormalizedEvent;
}

/**
 * Every event of every sample, in file order; `refused` names the records the parsers quarantine
 * (some samples hold deliberately damaged lines).
 */
export function parsedSamples(): { events: ParsedSample[]; refused: string[] } {
  const events: ParsedSample[] = [];
  const refused: string[] = [];
  for (const [file, [product, records]] of Object.entries(VENDOR_SAMPLES)) {
    let n = 0;
    records().forEach((record, i) => {
      const parsed = parseRecord(product, record, { timeZone: 'Asia/Tokyo', receivedAt: new Date('2026-11-20T03:00:00Z') });
      if (!parsed.ok) refused.push(`${file} record ${i + 1}`);
      else for (const event of parsed.events) events.push({ name: `${file}#${++n}`, product, event });
    });
  }
  return { events, refused };
}
