import { isIP } from 'node:net';
import { AddressList } from '../intake/smtp/address-list';

// Addresses that never identify a customer's device: a binding to one of them would hand a
// tenant traffic that is not its own (the SOC's relays, this machine) or nobody's.
const RESERVED = AddressList.parse(
  [
    '0.0.0.0/8', // "this network", unspecified
    '169.254.0.0/16', // link-local
    '224.0.0.0/4', // multicast
    '240.0.0.0/4', // reserved, broadcast
    '::/128', // unspecified
    'fe80::/10', // link-local
    'ff00::/8', // multicast
  ].join(','),
);
const LOOPBACK = AddressList.parse('127.0.0.0/8, ::1/128');

export interface AddressPolicyConfig {
  SMTP_SENDER_RELAYS: string;
  SOC_INTERNAL_ADDRESSES: string;
  INTAKE_ALLOW_LOOPBACK_SOURCES: boolean;
  INTAKE_MAIL_DOMAIN: string;
}

// Which source addresses and mail senders may be bound to a sensor at all (whoever asks).
export class AddressPolicy {
  private readonly soc: AddressList;
  private readonly relays: AddressList;

  constructor(private readonly config: AddressPolicyConfig) {
    this.soc = AddressList.parse(config.SOC_INTERNAL_ADDRESSES);
    this.relays = AddressList.parse(config.SMTP_SENDER_RELAYS);
  }

  /** Why `ip` cannot be bound to a sensor, or null. */
  sourceIpRefusal(ip: string): string | null {
    // IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it is
    const address = ip.toLowerCase().startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
    if (!isIP(address)) return `"${ip}" is not an IP address`;
    if (LOOPBACK.has(address)) return this.config.INTAKE_ALLOW_LOOPBACK_SOURCES ? null : `${ip} is a loopback address (this machine), never a customer's device`;
    if (RESERVED.has(address)) return `${ip} is in a reserved range (unspecified, link-local, multicast or broadcast)`;
    if (this.relays.has(address) || this.soc.has(address)) return `${ip} is one of the SOC's own addresses`;
    return null;
  }

  /** Why `sender` cannot be bound to a sensor, or null. */
  senderRefusal(sender: string): string | null {
    const domain = sender.slice(sender.lastIndexOf('@') + 1).toLowerCase();
    const own = this.config.INTAKE_MAIL_DOMAIN.toLowerCase();
    if (domain === own || domain.endsWith(`.${own}`)) return `${sender} is an address of the SOC's intake domain`;
    return null;
  }
}
