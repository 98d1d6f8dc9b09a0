import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { EVENT_CATALOGUE } from '@kanshi/events';

const DOC = path.resolve(__dirname, '..', 'docs', 'architecture.md');
const SUBJECT = /\b[a-z-]+\.[a-z-]+\.[a-z-]+\.v\d+\b/g;

// The rows of the table under "## Event subjects": subject (in backticks) and stream.
function eventTable(markdown: string): { subject: string; stream: string }[] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith('Event subjects'));
  if (!section) throw new Error('docs/architecture.md has no "## Event subjects" section');
  return section
    .split('\n')
    .filter((line) => /^\|\s*`/.test(line))
    .map((line) => line.split('|').map((c) => c.trim()))
    .map((cells) => ({ subject: cells[1].replace(/`/g, ''), stream: cells[2] }));
}

// docs/architecture.md names exactly the events libs/events defines.
describe('docs/architecture.md event subjects', () => {
  const markdown = readFileSync(DOC, 'utf8');
  const table = eventTable(markdown);
  const catalogue = new Map(EVENT_CATALOGUE.map((e) => [e.subject, e.stream]));

  it('lists every subject of libs/events in its event table', () => {
    const listed = new Set(table.map((r) => r.subject));
    expect([...catalogue.keys()].filter((s) => !listed.has(s))).toEqual([]);
  });

  it('names no subject that libs/events does not have, in the table or anywhere else', () => {
    const named = [...table.map((r) => r.subject), ...(markdown.match(SUBJECT) ?? [])];
    expect([...new Set(named.filter((s) => !catalogue.has(s)))]).toEqual([]);
  });

  it('lists each subject once, on the stream it is defined on', () => {
    expect(table.length).toBe(new Set(table.map((r) => r.subject)).size);
    expect(table.filter((r) => catalogue.get(r.subject) !== r.stream).map((r) => `${r.subject} on ${r.stream}`)).toEqual([]);
  });
});
