import { BlockList, isIP } from 'node:net';

// A list of addresses and CIDR blocks ("127.0.0.0/8, ::1, 192.0.2.25"), IPv4 and IPv6.
export class AddressList {
  private readonly list = new BlockList();

  private constructor(readonly text: string) {}

  // Throws with the offending entry named.
  static parse(text: string): AddressList {
    const out = new AddressList(text);
    for (const entry of text.split(',').map((e) => e.trim()).filter(Boolean)) {
      const [address, bits, extra] = entry.split('/');
      const family = isIP(address);
      const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
      if (!family || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
        throw new Error(`"${entry}" is not an IP address or CIDR block`);
      }
      out.list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
    }
    return out;
  }

  has(address: string): boolean {
    const family = isIP(address);
    return family !== 0 && this.list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }
}
