// The part of STIX 2.1 patterning (OASIS STIX 2.1, section 9) that names indicator values:
// observation expressions joined by OR, each holding comparisons joined by OR, with `=`, `IN`
// or `ISSUBSET` on an object path. AND, FOLLOWEDBY, NOT and qualifiers (WITHIN, REPEATS,
// START/STOP) describe behaviour a single alert field cannot show: such a pattern is refused.

export interface StixComparison {
  path: string; // object type and property path as written, e.g. "file:hashes.'SHA-256'"
  objectType: string; // "file"
  property: string[]; // ["hashes", "SHA-256"], quotes removed
  operator: '=' | 'IN' | 'ISSUBSET';
  values: string[];
  otherConstants: string[]; // numbers, booleans, t'' / h'' / b'' constants, as written
}

export class StixPatternError extends Error {}

type Token = { kind: 'punct' | 'op' | 'word' | 'string' | 'path' | 'number'; text: string; value?: string };

const PATH = /^[a-z0-9][a-z0-9-]*:(?:[a-z0-9_]+|'(?:[^'\\]|\\.)*')(?:\.(?:[a-z0-9_-]+|'(?:[^'\\]|\\.)*')|\[(?:\*|\d+)\])*/i;
const STRING = /^'((?:[^'\\]|\\.)*)'/;
const TYPED_CONSTANT = /^[tbh]'(?:[^'\\]|\\.)*'/;
const NUMBER = /^-?\d+(?:\.\d+)?/;
const WORD = /^[A-Za-z_]+/;
const OP = /^(?:!=|<=|>=|=|<|>)/;

function unescape(body: string): string {
  return body.replace(/\\(.)/g, (_, c: string) => c);
}

function tokenize(pattern: string): Token[] {
  const out: Token[] = [];
  let s = pattern;
  while (s.length) {
    const ws = /^\s+/.exec(s);
    if (ws) {
      s = s.slice(ws[0].length);
      continue;
    }
    let m: RegExpExecArray | null;
    if ('[]()'.includes(s[0]) || s[0] === ',') {
      out.push({ kind: 'punct', text: s[0] });
      s = s.slice(1);
    } else if ((m = TYPED_CONSTANT.exec(s))) {
      out.push({ kind: 'string', text: m[0], value: undefined });
      s = s.slice(m[0].length);
    } else if ((m = STRING.exec(s))) {
      out.push({ kind: 'string', text: m[0], value: unescape(m[1]) });
      s = s.slice(m[0].length);
    } else if ((m = PATH.exec(s))) {
      out.push({ kind: 'path', text: m[0] });
      s = s.slice(m[0].length);
    } else if ((m = OP.exec(s))) {
      out.push({ kind: 'op', text: m[0] });
      s = s.slice(m[0].length);
    } else if ((m = NUMBER.exec(s))) {
      out.push({ kind: 'number', text: m[0] });
      s = s.slice(m[0].length);
    } else if ((m = WORD.exec(s))) {
      out.push({ kind: 'word', text: m[0] });
      s = s.slice(m[0].length);
    } else {
      throw new StixPatternError(`unexpected character ${JSON.stringify(s[0])} in the pattern`);
    }
  }
  return out;
}

function splitProperty(path: string): { objectType: string; property: string[] } {
  const colon = path.indexOf(':');
  const rest = path.slice(colon + 1);
  const property: string[] = [];
  const re = /'((?:[^'\\]|\\.)*)'|([a-z0-9_-]+)|\[(\*|\d+)\]/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(rest))) property.push(m[1] !== undefined ? unescape(m[1]) : (m[2] ?? `[${m[3]}]`));
  return { objectType: path.slice(0, colon).toLowerCase(), property };
}

const QUALIFIERS = ['WITHIN', 'REPEATS', 'START', 'STOP'];

// The comparisons of a pattern whose every branch is joined by OR; StixPatternError otherwise.
export function parseStixPattern(pattern: string): StixComparison[] {
  if (pattern.length > 20_000) throw new StixPatternError('the pattern is longer than 20000 characters');
  const tokens = tokenize(pattern);
  let i = 0;
  const peek = () => tokens[i];
  const at = (text: string) => tokens[i]?.text === text && tokens[i].kind !== 'string';
  const expect = (text: string) => {
    if (!at(text)) throw new StixPatternError(`expected "${text}" ${tokens[i] ? `but found "${tokens[i].text}"` : 'at the end of the pattern'}`);
    i++;
  };
  const refuseJoin = () => {
    const t = peek();
    if (t?.kind === 'word' && (t.text === 'AND' || t.text === 'FOLLOWEDBY'))
      throw new StixPatternError(`${t.text} is not supported: only comparisons joined by OR can be matched against a single alert`);
  };

  const comparison = (): StixComparison[] => {
    if (at('(')) {
      i++;
      const inner = comparisons();
      expect(')');
      return inner;
    }
    const t = peek();
    if (t?.kind === 'word' && t.text === 'NOT') throw new StixPatternError('NOT is not supported');
    if (t?.kind !== 'path') throw new StixPatternError(`expected an object path such as ipv4-addr:value ${t ? `but found "${t.text}"` : 'at the end of the pattern'}`);
    i++;
    const path = t.text;
    let negated = false;
    if (peek()?.kind === 'word' && peek().text === 'NOT') {
      negated = true;
      i++;
    }
    const op = peek();
    if (!op) throw new StixPatternError(`${path} has no comparison operator`);
    i++;
    const opText = op.kind === 'op' || op.kind === 'word' ? op.text : '';
    if (negated || !['=', 'IN', 'ISSUBSET'].includes(opText)) throw new StixPatternError(`operator ${negated ? 'NOT ' : ''}${op.text} is not supported (only =, IN and ISSUBSET)`);
    const values: string[] = [];
    const otherConstants: string[] = [];
    const constant = () => {
      const v = peek();
      if (v?.kind === 'string' && v.value !== undefined) values.push(v.value);
      else if (v?.kind === 'number' || v?.kind === 'string' || (v?.kind === 'word' && (v.text === 'true' || v.text === 'false'))) otherConstants.push(v.text);
      else throw new StixPatternError(`${path} ${opText} needs a constant ${v ? `but found "${v.text}"` : 'at the end of the pattern'}`);
      i++;
    };
    if (opText === 'IN') {
      expect('(');
      constant();
      while (at(',')) {
        i++;
        constant();
      }
      expect(')');
    } else constant();
    return [{ path, ...splitProperty(path), operator: opText as StixComparison['operator'], values, otherConstants }];
  };

  const comparisons = (): StixComparison[] => {
    const out = comparison();
    for (;;) {
      refuseJoin();
      if (peek()?.kind === 'word' && peek().text === 'OR') {
        i++;
        out.push(...comparison());
      } else return out;
    }
  };

  const observation = (): StixComparison[] => {
    let out: StixComparison[];
    if (at('(')) {
      i++;
      out = observations();
      expect(')');
    } else {
      expect('[');
      out = comparisons();
      expect(']');
    }
    const q = peek();
    if (q?.kind === 'word' && QUALIFIERS.includes(q.text)) throw new StixPatternError(`the qualifier ${q.text} is not supported`);
    return out;
  };

  const observations = (): StixComparison[] => {
    const out = observation();
    for (;;) {
      refuseJoin();
      if (peek()?.kind === 'word' && peek().text === 'OR') {
        i++;
        out.push(...observation());
      } else return out;
    }
  };

  if (!tokens.length) throw new StixPatternError('the pattern is empty');
  const result = observations();
  if (i < tokens.length) throw new StixPatternError(`unexpected "${tokens[i].text}" after the end of the pattern`);
  return result;
}
