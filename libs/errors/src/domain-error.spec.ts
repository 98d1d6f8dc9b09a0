import { DomainError, defineDomainErrors, definedDomainErrors } from './domain-error';

const ShopError = defineDomainErrors('ShopError', { ITEM_NOT_FOUND: 'NOT_FOUND', SOLD_OUT: 'CONFLICT', BAD_INPUT: 'BAD_USER_INPUT' });
const OtherError = defineDomainErrors('OtherError', { ITEM_NOT_FOUND: 'NOT_FOUND' });

describe('defineDomainErrors', () => {
  it('builds errors whose kind follows the code and whose reason is the code', () => {
    const err = new ShopError('SOLD_OUT', 'item 7 is sold out', 'itemId');
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ kind: 'CONFLICT', code: 'SOLD_OUT', field: 'itemId', message: 'item 7 is sold out', name: 'ShopError' });
    expect(new ShopError('BAD_INPUT', 'no').kind).toBe('BAD_USER_INPUT');
  });

  it('exposes the codes as values and narrows by class and code', () => {
    expect(ShopError.Code.ITEM_NOT_FOUND).toBe('ITEM_NOT_FOUND');
    const err: unknown = new ShopError('ITEM_NOT_FOUND', 'gone');
    expect(ShopError.is(err)).toBe(true);
    expect(ShopError.is(err, 'ITEM_NOT_FOUND')).toBe(true);
    expect(ShopError.is(err, 'SOLD_OUT')).toBe(false);
    expect(OtherError.is(err)).toBe(false);
  });

  it('refuses a code the domain did not declare', () => {
    expect(() => new ShopError('NOPE' as 'SOLD_OUT', 'x')).toThrow('ShopError: unknown code NOPE');
  });
});

describe('definedDomainErrors', () => {
  it('lists every defined domain with its codes and kinds', () => {
    const shop = definedDomainErrors().find((d) => d.name === 'ShopError');
    expect(shop?.codes).toEqual({ ITEM_NOT_FOUND: 'NOT_FOUND', SOLD_OUT: 'CONFLICT', BAD_INPUT: 'BAD_USER_INPUT' });
  });
});
