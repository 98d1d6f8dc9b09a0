import { onboardingChecklist, OnboardingSensor } from './onboarding';

const at = new Date('2027-03-02T00:00:00Z');
const sensor = (over: Partial<OnboardingSensor>): OnboardingSensor => ({ sensorId: 's1', product: 'FIREEYE_NX', name: 'NX', registeredAt: at, firstEventAt: null, ...over });
const contacts = [{ name: 'SOC' }];

describe('onboardingChecklist', () => {
  it('is complete with a registered sensor that sent its first event and confirmed contacts', () => {
    const list = onboardingChecklist({ monitoredProducts: [], escalationContacts: contacts, contactsConfirmedAt: at }, [sensor({ firstEventAt: at })]);
    expect(list).toMatchObject({ sensorsRegistered: true, firstEventsReceived: true, contactsConfirmed: true, complete: true, missing: [] });
  });

  it('lists every missing step for a fresh contract', () => {
    expect(onboardingChecklist({ monitoredProducts: [], escalationContacts: [], contactsConfirmedAt: null }, [])).toMatchObject({
      complete: false,
      missing: ['register at least one sensor', 'waiting for the first event of a sensor', 'add escalation contacts'],
    });
  });

  it('needs a sensor for each monitored product, and counts only those products', () => {
    const sensors = [sensor({ firstEventAt: at }), sensor({ sensorId: 's2', product: 'TREND_MICRO', name: 'Apex One' })];
    const list = onboardingChecklist({ monitoredProducts: ['FIREEYE_NX', 'FORTIGATE'], escalationContacts: contacts, contactsConfirmedAt: at }, sensors);
    // The silent Trend Micro sensor is not monitored under this contract, so it does not block.
    expect(list).toMatchObject({ sensorsRegistered: false, firstEventsReceived: true, missing: ['register a sensor for FORTIGATE'] });
    expect(list.sensors.map((s) => s.sensorId)).toEqual(['s1']);
  });

  it('waits for the first event of every counted sensor, by name', () => {
    const list = onboardingChecklist({ monitoredProducts: [], escalationContacts: contacts, contactsConfirmedAt: at }, [sensor({ firstEventAt: at }), sensor({ sensorId: 's2', name: 'NX 大阪' })]);
    expect(list).toMatchObject({ firstEventsReceived: false, complete: false, missing: ['waiting for the first event of NX 大阪'] });
  });

  it('ignores a sensor known only from its first event, until it is registered', () => {
    const list = onboardingChecklist({ monitoredProducts: [], escalationContacts: contacts, contactsConfirmedAt: null }, [sensor({ registeredAt: null, firstEventAt: at })]);
    expect(list).toMatchObject({ sensorsRegistered: false, missing: ['register at least one sensor', 'waiting for the first event of a sensor', 'confirm the escalation contacts'] });
  });
});
