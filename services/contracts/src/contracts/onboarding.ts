// The onboarding checklist of a contract, following the service description's flow:
// contract -> sensors registered -> alerts reach the SOC -> service starts.
//
// - sensors registered: at least one sensor of the customer is registered, and each monitored
//   product of the contract has at least one registered sensor of that product;
// - first events received: every registered sensor that counts (of a monitored product, or any
//   sensor when the contract lists no products) has sent its first event to the SOC;
// - contacts confirmed: the escalation contacts exist and the customer (or the provider on its
//   behalf) confirmed them after their last change.
// Provider staff activate the contract once all three hold.

export interface OnboardingSensor {
  sensorId: string;
  product: string | null;
  name: string | null;
  registeredAt: Date | null;
  firstEventAt: Date | null;
}

export interface OnboardingChecklist {
  sensorsRegistered: boolean;
  firstEventsReceived: boolean;
  contactsConfirmed: boolean;
  complete: boolean;
  // What is still to be done, in words.
  missing: string[];
  // The registered sensors that count for this contract.
  sensors: OnboardingSensor[];
}

export function onboardingChecklist(
  contract: { monitoredProducts: readonly string[]; escalationContacts: readonly unknown[]; contactsConfirmedAt: Date | null },
  sensors: readonly OnboardingSensor[],
): OnboardingChecklist {
  const registered = sensors.filter((s) => s.registeredAt !== null);
  const products = [...new Set(contract.monitoredProducts)];
  const counted = products.length ? registered.filter((s) => s.product !== null && products.includes(s.product)) : registered;
  const missing: string[] = [];

  const productsWithoutSensor = products.filter((p) => !registered.some((s) => s.product === p));
  const sensorsRegistered = counted.length > 0 && productsWithoutSensor.length === 0;
  if (counted.length === 0) missing.push('register at least one sensor');
  else if (productsWithoutSensor.length) missing.push(`register a sensor for ${productsWithoutSensor.join(', ')}`);

  const silent = counted.filter((s) => s.firstEventAt === null);
  const firstEventsReceived = counted.length > 0 && silent.length === 0;
  if (silent.length) missing.push(`waiting for the first event of ${silent.map((s) => s.name ?? s.sensorId).join(', ')}`);
  else if (counted.length === 0) missing.push('waiting for the first event of a sensor');

  const contactsConfirmed = contract.escalationContacts.length > 0 && contract.contactsConfirmedAt !== null;
  if (contract.escalationContacts.length === 0) missing.push('add escalation contacts');
  else if (!contactsConfirmed) missing.push('confirm the escalation contacts');

  return { sensorsRegistered, firstEventsReceived, contactsConfirmed, complete: sensorsRegistered && firstEventsReceived && contactsConfirmed, missing, sensors: counted };
}
