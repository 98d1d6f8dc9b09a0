import { decodeDeviceText } from './charset';
import { parseSepFields } from './symantec.parser';
import { field, lines, own, ownBytes, parseOne, reasonFor } from './spec-helpers';

const sample = lines(own('symantec-sep.log'))[0];
const [legacy, ips, admin, withHash] = lines(own('symantec-sep-more.log'));

describe('parseSepFields', () => {
  it('keeps commas that belong to a value and recognises a bare path', () => {
    const { head, fields, barePaths } = parseSepFields('Virus found,Risk name: A,C:\\Temp\\a, b.exe,Description: found, not cleaned,User: x');
    expect(head).toEqual(['Virus found']);
    expect(barePaths).toEqual(['C:\\Temp\\a, b.exe']);
    expect(fields.map((f) => [f.label, f.value])).toEqual([
      ['Risk name', 'A'],
      ['Description', 'found, not cleaned'],
      ['User', 'x'],
    ]);
  });
});

describe('Symantec Endpoint Protection', () => {
  it('reads the risk sample: event time in UTC, quarantined -> blocked, medium', () => {
    const e = parseOne('SYMANTEC_SEP', sample);
    expect(e).toMatchObject({ kind: 'alert', blocked: true, vendorSeverity: null, ruleName: 'W97M.Downloader', vendorEventId: null, groupKey: null });
    expect(e.occurredAt.toISOString()).toBe('2026-11-21T01:29:51.000Z');
    expect(field(e.ecs, 'event.severity')).toBe(47);
    expect(field(e.ecs, 'host')).toEqual({ name: 'PC-LEGAL-005', ip: ['10.60.14.58'] });
    expect(field(e.ecs, 'user.name')).toBe('nakamura');
    expect(field(e.ecs, 'file.path')).toBe('C:\\Users\\nakamura\\Downloads\\contract_draft.doc');
    expect(field(e.ecs, 'file.name')).toBe('contract_draft.doc');
    expect(field(e.ecs, 'file.size')).toBe(73216);
    expect(field(e.ecs, 'file.hash.sha256')).toBe('a5e4b9441b87922907321b56f86a5be7b4ff31c2ab3a5e8cce19de2737cc89f8');
    expect(field(e.ecs, 'threat.software.name')).toBe('W97M.Downloader');
    expect(field(e.ecs, 'event.action')).toBe('Quarantined');
    expect(field(e.ecs, 'process.name')).toBe('outlook.exe');
    expect(field(e.ecs, 'observer.name')).toBe('SEPM-WEST');
    expect(field(e.ecs, 'log.syslog.appname')).toBe('SymantecServer');
    expect(field(e.ecs, 'symantec.sep.prevalence')).toBe('This file has been seen by fewer than 5 Symantec users.');
  });

  it('reads the older labels (Inserted, Server, User) and a bare file path containing a comma', () => {
    const e = parseOne('SYMANTEC_SEP', legacy);
    expect(e).toMatchObject({ kind: 'alert', blocked: true, ruleName: 'Adware.Gen' });
    expect(field(e.ecs, 'file.path')).toBe('C:\\Users\\mori\\AppData\\Local\\Temp\\setup, v2\\toolbar.exe');
    expect(field(e.ecs, 'user.name')).toBe('mori');
    expect(field(e.ecs, 'observer.name')).toBe('SEPM01');
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T02:49:00.000Z');
  });

  it('reads the security (IPS) log: direction, local/remote pairs, signature', () => {
    const e = parseOne('SYMANTEC_SEP', ips);
    expect(e).toMatchObject({ kind: 'alert', blocked: true, ruleName: 'MS SMB Server Remote Code Execution' });
    expect(field(e.ecs, 'rule.id')).toBe('23179');
    expect(field(e.ecs, 'source')).toMatchObject({ ip: '198.51.100.66', port: 51234 });
    expect(field(e.ecs, 'destination')).toMatchObject({ ip: '10.20.32.31', port: 445, mac: '00-50-56-AA-BB-31' });
    expect(field(e.ecs, 'network')).toEqual({ transport: 'tcp', direction: 'inbound' });
    expect(field(e.ecs, 'host')).toEqual({ name: 'PC-DEV-031', ip: ['10.20.32.31'], mac: ['00-50-56-AA-BB-31'] });
    expect(field(e.ecs, 'user')).toBeUndefined(); // "User Name: none"
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T02:54:10.000Z');
  });

  it('keeps administrative logs as events', () => {
    const e = parseOne('SYMANTEC_SEP', admin);
    expect(e).toMatchObject({ kind: 'event', blocked: null, ruleName: 'Policy has been edited: Virus and Spyware Protection policy' });
    expect(field(e.ecs, 'kanshi.severity')).toBe('info');
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T02:56:00.000Z'); // header time, Tokyo
  });

  it('uses Risk Level when a version sends it', () => {
    const e = parseOne('SYMANTEC_SEP', withHash);
    expect(e).toMatchObject({ vendorSeverity: 'High', blocked: true });
    expect(field(e.ecs, 'event.severity')).toBe(73);
  });

  it('reads a Shift_JIS line with Japanese values: left alone -> not blocked, high', () => {
    const e = parseOne('SYMANTEC_SEP', decodeDeviceText(ownBytes('symantec-sep-ja.sjis.log')));
    expect(e).toMatchObject({ kind: 'alert', blocked: false, ruleName: 'W97M.Downloader' });
    expect(field(e.ecs, 'host.name')).toBe('経理-PC-003');
    expect(field(e.ecs, 'file.path')).toBe('C:\\Users\\佐藤\\デスクトップ\\見積書.doc');
    expect(field(e.ecs, 'file.name')).toBe('見積書.doc');
    expect(field(e.ecs, 'user.name')).toBe('佐藤');
    expect(field(e.ecs, 'kanshi.severity')).toBe('high');
  });

  it('rejects text without Key: value fields', () => {
    expect(reasonFor('SYMANTEC_SEP', '<54>Nov 20 11:40:12 SEPM01 SymantecServer: just words')).toBe('Symantec SEP: no "Key: value" fields found');
  });
});
