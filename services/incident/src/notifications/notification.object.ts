import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ContactLanguageCode, enumOf, SocSeverity } from '@kanshi/events';
import { SocSeverityEnum } from '@kanshi/platform';
import { NOTIFICATION_CHANNELS, NOTIFICATION_STATUSES, NotificationChannelValue, NotificationStatusValue } from './notification-kinds';

export const NotificationChannel = enumOf(NOTIFICATION_CHANNELS);
registerEnumType(NotificationChannel, {
  name: 'NotificationChannel',
  description: 'How a customer contact is notified',
  valuesMap: { EMAIL: { description: 'An e-mail through the provider’s relay' }, PHONE: { description: 'Phone calls down the escalation list (a call task for the operator)' } },
});
export const NotificationStatus = enumOf(NOTIFICATION_STATUSES);
registerEnumType(NotificationStatus, {
  name: 'NotificationStatus',
  description: 'Where a notification is',
  valuesMap: {
    PENDING: { description: 'Not yet sent (a mail waiting for its job; a call task not yet answered)' },
    RETRYING: { description: 'A mail the relay did not accept; it is retried with back-off' },
    DELIVERED: { description: 'The relay accepted the mail, or a call reached someone' },
    FAILED: { description: 'The mail was never accepted; the operator was given a call task instead' },
  },
});

@ObjectType('Notification', { description: 'One notification of an incident to one customer contact' })
export class NotificationObject {
  @Field(() => ID, { description: 'Notification id (mails carry it in their Message-ID)' }) id: string;
  @Field(() => NotificationChannel, { description: 'E-mail or phone' }) channel: NotificationChannelValue;
  @Field({ description: 'The e-mail address, or the first phone number called' }) recipient: string;
  @Field({ description: 'The contact’s name' }) contactName: string;
  @Field(() => String, { description: 'The language it is in: ja or en' }) language: ContactLanguageCode;
  @Field(() => SocSeverityEnum, { description: 'The severity decision it tells of' }) severity: SocSeverity;
  @Field(() => NotificationStatus, { description: 'Where it is' }) status: NotificationStatusValue;
  @Field(() => Int, { description: 'Mails sent or calls made so far' }) attempts: number;
  @Field(() => Date, { nullable: true, description: 'When it was delivered (accepted by the relay, a call answered); null until then' }) sentAt: Date | null;
  @Field(() => String, { nullable: true, description: 'Why the last attempt failed; null when it did not' }) error: string | null;
  @Field({ description: 'When it was created' }) createdAt: Date;
}
