// STIX 2.1 bundles: each `indicator` object with `pattern_type: stix` gives one indicator per
// value its pattern names. Other objects (identities, malware, relationships...) are read only
// for their TLP marking definitions; they are neither imported nor reported.
import { IocError } from './iocs.errors';
import { IocType, Tlp, tlpOf } from './ioc-kinds';
import { ImportSkip, MAX_INDICATORS_PER_IMPORT, ParsedImport, ParsedIndicator, timestampOf } from './ioc-import';
import { normalizeIndicator } from './ioc-values';
import { parseStixPattern, StixComparison, StixPatternError } from './stix-pattern';

// The fixed marking definitions of TLP 1.0 (STIX 2.1, section 7.2.1.4) and TLP 2.0 (the OASIS
// TLP 2.0 extension), which bundles reference without including them.
const WELL_KNOWN_TLP: Record<string, Tlp> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'CLEAR',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'GREEN',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'AMBER',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'RED',
  'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487': 'CLEAR',
  'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb': 'GREEN',
  'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421': 'AMBER',
  'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003': 'AMBER_STRICT',
  'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1': 'RED',
};

const HASH_KEYS: Record<string, IocType> = { MD5: 'MD5', 'SHA-1': 'SHA1', SHA1: 'SHA1', 'SHA-256': 'SHA256', SHA256: 'SHA256' };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

// The indicator type a comparison's object path names, or why it names none Kanshi matches.
function typeOfPath(c: StixComparison): IocType | string {
  const prop = c.property.join('.');
  if (c.objectType === 'file' && c.property.length === 2 && c.property[0] === 'hashes') {
    return HASH_KEYS[c.property[1].toUpperCase()] ?? `hash algorithm ${c.property[1]} is not matched (MD5, SHA-1 and SHA-256 are)`;
  }
  if (prop === 'value') {
    const t = ({ 'ipv4-addr': 'IPV4', 'ipv6-addr': 'IPV6', 'domain-name': 'DOMAIN', url: 'URL' } as Record<string, IocType>)[c.objectType];
    if (t) return t;
  }
  return `${c.path} is not an indicator Kanshi matches (file hashes, ipv4-addr, ipv6-addr, domain-name and url values are)`;
}

// The stricter TLP among an object's marking references.
function tlpOfRefs(refs: unknown, markings: Map<string, Tlp>): Tlp | null {
  if (!Array.isArray(refs)) return null;
  let tlp: Tlp | null = null;
  const order: Tlp[] = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'];
  for (const ref of refs) {
    const t = typeof ref === 'string' ? (markings.get(ref) ?? WELL_KNOWN_TLP[ref]) : undefined;
    if (t && (!tlp || order.indexOf(t) > order.indexOf(tlp))) tlp = t;
  }
  return tlp;
}

// A marking-definition object's TLP: TLP 1.0's definition {tlp: "green"}, or a TLP 2.0 name.
function markingTlp(o: Obj): Tlp | null {
  if (o.definition_type === 'tlp' && isObj(o.definition) && typeof o.definition.tlp === 'string') return tlpOf(o.definition.tlp);
  if (typeof o.name === 'string' && /^TLP:/i.test(o.name)) return tlpOf(o.name);
  return null;
}

export function parseStixBundle(content: string, now: Date): ParsedImport {
  let bundle: unknown;
  try {
    bundle = JSON.parse(content);
  } catch (e) {
    throw new IocError('INVALID_CONTENT', `content: not JSON (${(e as Error).message})`, 'content');
  }
  if (!isObj(bundle) || bundle.type !== 'bundle' || !Array.isArray(bundle.objects))
    throw new IocError('INVALID_CONTENT', 'content: not a STIX 2.1 bundle (an object with "type": "bundle" and an "objects" array)', 'content');
  const objects = bundle.objects as unknown[];
  if (objects.length > MAX_INDICATORS_PER_IMPORT) throw new IocError('INVALID_CONTENT', `content: more than ${MAX_INDICATORS_PER_IMPORT} objects; split the bundle`, 'content');

  const markings = new Map<string, Tlp>();
  for (const o of objects) {
    if (isObj(o) && o.type === 'marking-definition' && typeof o.id === 'string') {
      const t = markingTlp(o);
      if (t) markings.set(o.id, t);
    }
  }

  const indicators: ParsedIndicator[] = [];
  const skipped: ImportSkip[] = [];
  objects.forEach((o, index) => {
    const row = index + 1;
    if (!isObj(o) || o.type !== 'indicator') return;
    const objectId = typeof o.id === 'string' ? o.id : null;
    const skip = (reason: string) => skipped.push({ row, objectId, reason });
    if (o.pattern_type !== undefined && o.pattern_type !== 'stix') return skip(`pattern_type ${JSON.stringify(o.pattern_type)} is not supported (only stix)`);
    if (typeof o.pattern !== 'string') return skip('the indicator has no pattern');
    const validFrom = timestampOf(o.valid_from);
    if (validFrom === undefined) return skip(`valid_from ${JSON.stringify(o.valid_from)} is not a timestamp`);
    let validUntil = timestampOf(o.valid_until);
    if (validUntil === undefined) return skip(`valid_until ${JSON.stringify(o.valid_until)} is not a timestamp`);
    // A revoked indicator stops matching: stored (so a re-import retires the earlier copy) as expired.
    if (o.revoked === true) validUntil = timestampOf(o.modified) ?? now;
    let confidence: number | null = null;
    if (o.confidence !== undefined) {
      if (typeof o.confidence !== 'number' || !Number.isInteger(o.confidence) || o.confidence < 0 || o.confidence > 100) return skip(`confidence must be an integer 0-100, not ${JSON.stringify(o.confidence)}`);
      confidence = o.confidence;
    }
    let comparisons: StixComparison[];
    try {
      comparisons = parseStixPattern(o.pattern);
    } catch (e) {
      if (e instanceof StixPatternError) return skip(`pattern: ${e.message}`);
      throw e;
    }
    const labels = Array.isArray(o.labels) ? o.labels.filter((l): l is string => typeof l === 'string').slice(0, 50) : [];
    const name = typeof o.name === 'string' ? o.name : '';
    const text = typeof o.description === 'string' ? o.description : '';
    const description = (name && text ? `${name}: ${text}` : name || text).slice(0, 2000);
    const tlp = tlpOfRefs(o.object_marking_refs, markings);
    comparisons.forEach((c, n) => {
      const where = comparisons.length > 1 ? `pattern comparison ${n + 1} (${c.path}): ` : 'pattern: ';
      const type = typeOfPath(c);
      if (type !== 'MD5' && type !== 'SHA1' && type !== 'SHA256' && type !== 'IPV4' && type !== 'IPV6' && type !== 'DOMAIN' && type !== 'URL') return skip(where + type);
      if (c.otherConstants.length) return skip(`${where}${c.otherConstants.join(', ')} is not a string`);
      if (c.operator === 'ISSUBSET' && type !== 'IPV4' && type !== 'IPV6') return skip(`${where}ISSUBSET applies to IP addresses only`);
      for (const v of c.values) {
        const norm = normalizeIndicator(type, v);
        if (!norm.ok) skip(where + norm.reason);
        else indicators.push({ row, type: norm.type, value: norm.value, confidence, validFrom, validUntil, stixId: objectId, description, labels, tlp });
      }
    });
  });
  return { indicators, skipped };
}
