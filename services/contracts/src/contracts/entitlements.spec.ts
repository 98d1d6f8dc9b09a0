import { ContractsError } from '../contracts.errors';
import { ContractEntity } from './contract.entity';
import { ContactLanguage } from './contract-setup.input';
import { applySetup, changesIsolationPreApproval, entitlementsOf } from './entitlements';

describe('changesIsolationPreApproval', () => {
  it('is true when either isolation flag is turned on or off, false when both are left as they are', () => {
    const off = applySetup(null);
    const on = applySetup({ isolationPreApproved: true });
    expect(changesIsolationPreApproval(off, on)).toBe(true);
    expect(changesIsolationPreApproval(on, applySetup({ isolationPreApproved: false }, on))).toBe(true);
    expect(changesIsolationPreApproval(on, applySetup({ isolationOnAutomaticVerdicts: true }, on))).toBe(true);
    expect(changesIsolationPreApproval(on, applySetup({ isolationPreApproved: true, logRetentionMonths: 6 }, on))).toBe(false);
    expect(changesIsolationPreApproval(off, applySetup({ monitoredProducts: ['FORTIGATE'] }, off))).toBe(false);
  });
});

describe('applySetup', () => {
  it('defaults to no products, no contacts, no isolation before confirmation and 3 months of logs', () => {
    expect(applySetup(null)).toEqual({ monitoredProducts: [], escalationContacts: [], isolationPreApproved: false, isolationOnAutomaticVerdicts: false, logRetentionMonths: 3 });
  });

  it('numbers contacts in calling order and keeps omitted fields', () => {
    const current = applySetup({ monitoredProducts: ['FIREEYE_NX'], isolationPreApproved: true });
    const next = applySetup({ escalationContacts: [{ name: 'A', phone: '03-1111-2222' }, { name: 'B', email: 'b@example.jp', language: ContactLanguage.EN }] }, current);
    expect(next).toEqual({
      monitoredProducts: ['FIREEYE_NX'],
      isolationPreApproved: true,
      isolationOnAutomaticVerdicts: false,
      logRetentionMonths: 3,
      escalationContacts: [
        { order: 1, name: 'A', phone: '03-1111-2222', language: 'ja' },
        { order: 2, name: 'B', email: 'b@example.jp', language: 'en' },
      ],
    });
  });

  it.each([
    [{ monitoredProducts: ['FIREEYE_NX', 'NOPE'] }, 'monitoredProducts.1'],
    [{ escalationContacts: [{ name: 'no way to reach' }] }, 'escalationContacts.0'],
    [{ logRetentionMonths: 0 }, 'logRetentionMonths'],
    [{ logRetentionMonths: 121 }, 'logRetentionMonths'],
  ])('refuses %j naming %s', (input, field) => {
    expect(() => applySetup(input)).toThrow(ContractsError);
    try {
      applySetup(input);
    } catch (e) {
      expect(e).toMatchObject({ kind: 'BAD_USER_INPUT', field });
    }
  });
});

describe('entitlementsOf', () => {
  const contract = {
    id: '00000000-0000-4000-8000-000000000001',
    customerId: '00000000-0000-4000-8000-000000000002',
    plan: 'FE_SECURITY_MONITORING',
    serviceHours: 'ALWAYS',
    options: [],
    monitoredProducts: ['FIREEYE_NX'],
    escalationContacts: [{ order: 1, name: 'SOC', phone: '03-0000-0000', language: 'ja' }],
    isolationPreApproved: false,
    logRetentionMonths: 3,
    status: 'ACTIVE',
    startDate: '2027-03-01',
    serviceStartDate: '2027-03-05',
    endDate: null,
  } as unknown as ContractEntity;

  it('reports liveness monitoring when the plan includes it, and the service start as the start date', () => {
    expect(entitlementsOf(contract, null, true)).toMatchObject({ livenessMonitoring: true, status: 'active', startDate: '2027-03-05', partnerId: null });
  });

  it('reports liveness monitoring only when bought on a plan without it', () => {
    expect(entitlementsOf({ ...contract, options: [] } as ContractEntity, null, false).livenessMonitoring).toBe(false);
    expect(entitlementsOf({ ...contract, options: ['LIVENESS_MONITORING'] } as ContractEntity, null, false).livenessMonitoring).toBe(true);
  });
});
