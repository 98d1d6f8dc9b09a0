// Sigma's condition: selections combined with and / or / not / parentheses, and
// "1 of sel*", "all of sel*", "N of them". Precedence: not > and > or.
import type { ConditionNode } from './sigma-rule';

export class ConditionSyntaxError extends Error {
  constructor(
    message: string,
    /** Character offset in the condition text. */
    readonly offset: number,
  ) {
    super(message);
  }
}

interface Token {
  text: string;
  lower: string;
  at: number;
}

const TOKEN = /\s*(\(|\)|[A-Za-z0-9_*.\-]+|\S)/y;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  for (;;) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) break;
    const at = start + m[0].length - m[1].length;
    if (!/^(\(|\)|[A-Za-z0-9_*.\-]+)$/.test(m[1])) throw new ConditionSyntaxError(`unexpected "${m[1]}" in condition`, at);
    out.push({ text: m[1], lower: m[1].toLowerCase(), at });
  }
  return out;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them', 'all']);

/** Parses `text` against the detection's selection names. */
export function parseCondition(text: string, selections: readonly string[]): ConditionNode {
  const tokens = tokenize(text);
  if (!tokens.length) throw new ConditionSyntaxError('condition is empty', 0);
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const end = (): number => (tokens.length ? tokens[tokens.length - 1].at + tokens[tokens.length - 1].text.length : 0);

  const or = (): ConditionNode => {
    const args = [and()];
    while (peek()?.lower === 'or') {
      i++;
      args.push(and());
    }
    return args.length === 1 ? args[0] : { op: 'or', args };
  };
  const and = (): ConditionNode => {
    const args = [not()];
    while (peek()?.lower === 'and') {
      i++;
      args.push(not());
    }
    return args.length === 1 ? args[0] : { op: 'and', args };
  };
  const not = (): ConditionNode => {
    if (peek()?.lower === 'not') {
      i++;
      return { op: 'not', arg: not() };
    }
    return primary();
  };
  const primary = (): ConditionNode => {
    const t = peek();
    if (!t) throw new ConditionSyntaxError('condition ends where a selection was expected', end());
    if (t.text === '(') {
      i++;
      const inner = or();
      const close = peek();
      if (close?.text !== ')') throw new ConditionSyntaxError('missing ")"', close ? close.at : end());
      i++;
      return inner;
    }
    if (t.lower === 'all' || /^[0-9]+$/.test(t.text)) {
      i++;
      const of = peek();
      if (of?.lower !== 'of') throw new ConditionSyntaxError(`expected "of" after "${t.text}"`, of ? of.at : end());
      i++;
      const target = peek();
      if (!target || target.text === '(' || target.text === ')') throw new ConditionSyntaxError(`expected a selection pattern or "them" after "of"`, target ? target.at : end());
      i++;
      const quantity = t.lower === 'all' ? 'all' : Number(t.text);
      if (quantity === 0) throw new ConditionSyntaxError('"0 of" never matches', t.at);
      const names = target.lower === 'them' ? selections.filter((s) => !s.startsWith('_')) : selections.filter((s) => globMatches(target.text, s));
      if (!names.length) throw new ConditionSyntaxError(`no selection matches "${target.text}"`, target.at);
      return { op: 'of', quantity, names };
    }
    if (t.text === ')' || KEYWORDS.has(t.lower)) throw new ConditionSyntaxError(`unexpected "${t.text}" in condition`, t.at);
    if (t.text.includes('*')) throw new ConditionSyntaxError(`a selection pattern "${t.text}" needs "1 of" or "all of"`, t.at);
    if (!selections.includes(t.text)) throw new ConditionSyntaxError(`condition names "${t.text}", which is not a selection`, t.at);
    i++;
    return { op: 'ref', name: t.text };
  };

  const node = or();
  if (i < tokens.length) throw new ConditionSyntaxError(`unexpected "${tokens[i].text}" in condition`, tokens[i].at);
  return node;
}

function globMatches(pattern: string, name: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === name;
  if (!name.startsWith(parts[0]) || !name.endsWith(parts[parts.length - 1])) return false;
  let pos = parts[0].length;
  for (let k = 1; k < parts.length - 1; k++) {
    const found = name.indexOf(parts[k], pos);
    if (found < 0) return false;
    pos = found + parts[k].length;
  }
  return pos <= name.length - parts[parts.length - 1].length;
}
