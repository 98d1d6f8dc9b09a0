import { loadConfig } from './config';

const env = { JWT_SECRET: 'a'.repeat(32), NODE_ENV: 'development' };

describe('incident configuration', () => {
  it('closes December 29 - January 3 unless YEAR_END_CLOSURE says otherwise', () => {
    expect(loadConfig(env).YEAR_END_CLOSURE).toEqual({ from: '12-29', to: '01-03' });
    expect(loadConfig({ ...env, YEAR_END_CLOSURE: '12-28..01-05' }).YEAR_END_CLOSURE).toEqual({ from: '12-28', to: '01-05' });
    expect(loadConfig({ ...env, YEAR_END_CLOSURE: 'none' }).YEAR_END_CLOSURE).toBeNull();
  });

  it('refuses to boot on a bad YEAR_END_CLOSURE, naming it', () => {
    expect(() => loadConfig({ ...env, YEAR_END_CLOSURE: 'Dec 29 - Jan 3' })).toThrow(/incident: invalid configuration:\n {2}- YEAR_END_CLOSURE must be MM-DD\.\.MM-DD/);
  });
});
