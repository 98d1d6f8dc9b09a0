// What an intake listener needs to know about the sensor a payload came from: enough to
// attribute every record to one sensor of one tenant before anything is stored.
export interface SensorRef {
  sensorId: string;
  customerId: string;
  // false: the sensor refuses syslog over UDP, whose source address anyone can forge
  acceptUdp?: boolean;
}

// A dual-stack listener reports IPv4 peers as IPv4-mapped IPv6 (`::ffff:203.0.113.9`); sensors
// are registered by their plain address.
export function normalizeRemoteAddress(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1] : address.toLowerCase();
}
