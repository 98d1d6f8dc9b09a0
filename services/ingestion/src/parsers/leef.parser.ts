// IBM Log Event Extended Format (LEEF) 1.0 and 2.0, as Trend Micro (Deep Security, Apex Central)
// and Imperva send it. The attributes are renamed to their CEF equivalents and mapped by
// cef.parser.ts, so both formats of one vendor give the same ECS document.
//   LEEF:1.0|Vendor|Product|Version|EventID|key=value<TAB>key=value...
//   LEEF:2.0|Vendor|Product|Version|EventID|DelimiterChar|key=value<D>key=value...
// The 2.0 delimiter field may be a character, a hex code (0x09, x5E) or empty (tab); a missing
// delimiter field is tolerated. Severity: `sev` 0-10, mapped as in CEF.
import { cefRecordToDraft, parseCefExtensions, type CefRecord } from './cef.parser';
import { fail, type VendorInput, type VendorOutcome } from './types';

const LEEF_START_RE = /^(?:[^\s|{[]+\s+){0,2}?(?=LEEF:\s?\d)/;

export function findLeef(message: string): number {
  const trimmed = message.trimStart();
  const m = LEEF_START_RE.exec(trimmed);
  return m ? message.length - trimmed.length + m[0].length : -1;
}

// LEEF attribute names -> CEF extension names used by the common mapping.
const TO_CEF: Record<string, string> = {
  srcPort: 'spt',
  dstPort: 'dpt',
  srcMAC: 'smac',
  dstMAC: 'dmac',
  srcPostNAT: 'sourceTranslatedAddress',
  dstPostNAT: 'destinationTranslatedAddress',
  usrName: 'duser',
  accountName: 'suser',
  identHostName: 'shost',
  devTime: 'rt',
  url: 'request',
  srcBytes: 'out',
  dstBytes: 'in',
};

function delimiterFrom(field: string): string | null {
  if (field === '') return '\t';
  if (field === '\\t') return '\t';
  if (field.length === 1) return field;
  const hex = /^(?:0x|x)([0-9a-fA-F]{1,4})$/.exec(field);
  if (hex) return String.fromCharCode(parseInt(hex[1], 16));
  return null;
}

export function parseLeef(message: string): { ok: true; record: CefRecord } | { ok: false; reason: string } {
  const start = findLeef(message);
  if (start < 0) return fail('LEEF: record does not start with "LEEF:<version>|"');
  const text = message.slice(start);
  // Only the header is split on "|": up to 7 fields and the rest as one string (an attribute value
  // full of "|" must not make thousands of pieces to join again).
  const parts: string[] = [];
  let from = 0;
  while (parts.length < 7) {
    const bar = text.indexOf('|', from);
    if (bar < 0) break;
    parts.push(text.slice(from, bar));
    from = bar + 1;
  }
  parts.push(text.slice(from));
  const version = /^LEEF:\s?(\d+(?:\.\d+)?)$/.exec(parts[0].trim());
  if (!version) return fail(`LEEF: bad version field "${parts[0].slice(0, 20)}"`);
  if (parts.length < 5) return fail(`LEEF: header has ${parts.length} fields, expected at least 5 (LEEF:Version|Vendor|Product|Version|EventID)`);
  const [, vendor, product, productVersion, eventId] = parts;
  let attributeText: string;
  let delimiter = '\t';
  if (version[1].startsWith('2') && parts.length >= 7) {
    const d = delimiterFrom(parts[5]);
    if (d !== null) {
      delimiter = d;
      attributeText = parts.slice(6).join('|');
    } else {
      attributeText = parts.slice(5).join('|');
    }
  } else {
    attributeText = parts.slice(5).join('|');
  }
  // (parts holds at most 8 pieces, the last the unsplit remainder: these joins are of a few strings)
  const attributes = new Map<string, string>();
  if (delimiter === '\t' && !attributeText.includes('\t') && /\s[A-Za-z0-9_]+=/.test(attributeText)) {
    // Tabs turned into spaces on the way (relays do this): read it the CEF way.
    for (const [k, v] of parseCefExtensions(attributeText)) attributes.set(k, v);
  } else {
    for (const part of attributeText.split(delimiter)) {
      const eq = part.indexOf('=');
      if (eq <= 0) continue;
      const key = part.slice(0, eq).trim();
      if (!/^[A-Za-z0-9_.[\]-]{1,64}$/.test(key) || attributes.has(key)) continue;
      attributes.set(key, part.slice(eq + 1).trim());
    }
  }
  if (!vendor.trim() && !product.trim()) return fail('LEEF: Vendor and Product are both empty');
  const extensions = new Map<string, string>();
  for (const [k, v] of attributes) extensions.set(TO_CEF[k] ?? k, v);
  return {
    ok: true,
    record: {
      format: 'LEEF',
      version: version[1],
      deviceVendor: vendor.trim(),
      deviceProduct: product.trim(),
      deviceVersion: productVersion.trim(),
      signatureId: eventId.trim(),
      name: attributes.get('name') ?? attributes.get('desc') ?? eventId.trim(),
      severity: attributes.get('sev') ?? '',
      extensions,
    },
  };
}

export function parseLeefRecord(input: VendorInput): VendorOutcome {
  const parsed = parseLeef(input.message);
  if (!parsed.ok) return parsed;
  return { ok: true, events: [cefRecordToDraft(parsed.record, input)] };
}
