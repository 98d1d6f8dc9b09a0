import { callKey } from './chaos-voice';

describe('chaos voice ledger', () => {
  it("keys a call by Kanshi's call task and contact, from its StatusCallback", () => {
    expect(callKey('http://127.0.0.1:4804/voice/status?task=6f1c0e1e-0000-4000-8000-000000000001&contact=2')).toBe('6f1c0e1e-0000-4000-8000-000000000001#2');
    expect(callKey('http://127.0.0.1:4804/voice/status')).toBeNull();
    expect(callKey(undefined)).toBeNull();
  });
});
