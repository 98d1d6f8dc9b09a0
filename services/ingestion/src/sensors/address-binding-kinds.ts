import { registerEnumType } from '@nestjs/graphql';
import { enumOf } from '@kanshi/events';

export const ADDRESS_BINDING_KINDS = ['SOURCE_IP', 'SENDER'] as const;
export type AddressBindingKindCode = (typeof ADDRESS_BINDING_KINDS)[number];
export const AddressBindingKind = enumOf(ADDRESS_BINDING_KINDS);
registerEnumType(AddressBindingKind, {
  name: 'AddressBindingKind',
  description: 'What a binding attributes to a sensor',
  valuesMap: { SOURCE_IP: { description: 'A syslog source address' }, SENDER: { description: 'An alert-mail sender address' } },
});

export const ADDRESS_BINDING_STATUSES = ['PENDING', 'APPROVED', 'REJECTED'] as const;
export type AddressBindingStatusCode = (typeof ADDRESS_BINDING_STATUSES)[number];
export const AddressBindingStatus = enumOf(ADDRESS_BINDING_STATUSES);
registerEnumType(AddressBindingStatus, {
  name: 'AddressBindingStatus',
  description: 'Where a binding request stands',
  valuesMap: {
    PENDING: { description: 'Waiting for provider staff' },
    APPROVED: { description: 'Approved: the address is bound to the sensor' },
    REJECTED: { description: 'Refused by provider staff (the note may say why)' },
  },
});
