import * as iconv from 'iconv-lite';
import { splitHttpBody } from './body-splitter';
import { own } from './spec-helpers';

const records = (r: ReturnType<typeof splitHttpBody>): string[] => {
  if ('error' in r) throw new Error(r.error);
  return r.records;
};

describe('splitHttpBody', () => {
  it('keeps a single (pretty-printed) JSON object as one record, byte for byte', () => {
    const body = own('fireeye-nx-extended.json');
    expect(records(splitHttpBody(Buffer.from(body), 'application/json'))).toEqual([body.trim()]);
  });

  it('splits a JSON array into its elements, keeping each element text', () => {
    const body = '[ {"a":1,"b":[1,2]} ,\n{"c":"x,y"} ]';
    expect(records(splitHttpBody(Buffer.from(body), 'application/json'))).toEqual(['{"a":1,"b":[1,2]}', '{"c":"x,y"}']);
  });

  it('turns string elements of an array into plain records (syslog lines posted as JSON)', () => {
    const body = JSON.stringify(['<14>Nov 20 11:21:04 pa 1,x', '', 'line "two"']);
    expect(records(splitHttpBody(Buffer.from(body)))).toEqual(['<14>Nov 20 11:21:04 pa 1,x', 'line "two"']);
  });

  it('splits NDJSON and concatenated JSON documents', () => {
    const ndjson = own('generic.ndjson');
    expect(records(splitHttpBody(Buffer.from(ndjson), 'application/x-ndjson'))).toHaveLength(3);
    expect(records(splitHttpBody(Buffer.from('{"a":1}{"b":2}')))).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('splits syslog lines, dropping blank ones and any line ending', () => {
    const body = '<14>line one\r\n\r\n<14>line two\n  \n<14>line three';
    expect(records(splitHttpBody(Buffer.from(body), 'text/plain'))).toEqual(['<14>line one', '<14>line two', '<14>line three']);
  });

  it('reports truncated JSON with its position (and line for multi-line bodies)', () => {
    expect(splitHttpBody(Buffer.from('{"alert":{"id":"1"'), 'application/json')).toEqual({
      error: 'JSON: Unexpected end of JSON input at position 18',
    });
    expect(splitHttpBody(Buffer.from('{"a":1}\n{"b":'), 'application/x-ndjson')).toEqual({
      error: 'NDJSON: Unexpected end of JSON input at position 13 (line 2, column 6)',
    });
    expect(splitHttpBody(Buffer.from('[{"a":1},'))).toEqual({ error: 'JSON: Unexpected end of JSON input at position 9' });
    expect(splitHttpBody(Buffer.from('[1 2]'))).toEqual({ error: "JSON: Expected ',' or ']' but found token '2' at position 3" });
  });

  it('rejects empty bodies and declared JSON that is not JSON', () => {
    expect(splitHttpBody(Buffer.from('  \n '))).toEqual({ error: 'empty body' });
    expect(splitHttpBody(Buffer.from('hello'), 'application/json; charset=utf-8')).toEqual({ error: "JSON: Unexpected token 'h' at position 0" });
  });

  it('decodes the declared charset, and Shift_JIS when the bytes are not UTF-8', () => {
    const sjis = iconv.encode('{"message":"ウイルス検出"}', 'shift_jis');
    expect(records(splitHttpBody(sjis, 'application/json; charset=Shift_JIS'))).toEqual(['{"message":"ウイルス検出"}']);
    expect(records(splitHttpBody(sjis, 'application/json'))).toEqual(['{"message":"ウイルス検出"}']);
  });
});
