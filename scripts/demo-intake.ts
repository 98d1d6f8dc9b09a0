import { gql } from './seed';

// The demo sensor `npm start` prints ready-to-paste commands for: one command per intake
// transport (HTTPS, syslog over UDP and TCP, SMTP), each sending a FortiGate IPS line that becomes
// an alert of its own in `alerts`.

export const DEMO_INTAKE_SENSOR = 'FortiGate デモ取込 (localhost)';
export const INTAKE_MAIL_DOMAIN = 'intake.kanshi.local';

export interface IntakeEndpoints {
  https: string;
  syslogUdpPort: number;
  syslogTcpPort: number;
  smtpPort: number;
}

export interface DemoSensor {
  sensorId: string;
  token: string;
}

// The demo sensor of a customer (syslog attributed by the source address 127.0.0.1), registered
// on the first start; a fresh token on every start (the previous one stops working).
export async function demoIntakeSensor(gatewayUrl: string, adminToken: string, customerId: string): Promise<DemoSensor> {
  const { sensors } = await gql<{ sensors: { id: string; name: string }[] }>(gatewayUrl, adminToken, `query($c: ID) { sensors(customerId: $c) { id name } }`, { c: customerId });
  const found = sensors.find((s) => s.name === DEMO_INTAKE_SENSOR);
  if (found) {
    const { rotateIngestToken } = await gql<{ rotateIngestToken: { ingestToken: string } }>(gatewayUrl, adminToken, `mutation($id: ID!) { rotateIngestToken(sensorId: $id) { ingestToken } }`, { id: found.id });
    return { sensorId: found.id, token: rotateIngestToken.ingestToken };
  }
  const { registerSensor } = await gql<{ registerSensor: { sensor: { id: string }; ingestToken: string } }>(
    gatewayUrl,
    adminToken,
    `mutation($i: RegisterSensorInput!) { registerSensor(input: $i) { sensor { id } ingestToken } }`,
    { i: { customerId, product: 'FORTIGATE', name: DEMO_INTAKE_SENSOR, allowedSourceIps: ['127.0.0.1'] } },
  );
  return { sensorId: registerSensor.sensor.id, token: registerSensor.ingestToken };
}

const pad = (n: number) => String(n).padStart(2, '0');

// A FortiGate IPS line (no single quotes: it is pasted inside '...').
export function fortigateLine(attack: string, device: string, at: Date): string {
  const t = new Date(at.getTime() + 9 * 3600_000); // the appliance logs Japan time
  const date = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  const time = `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
  const serial = 1000 + Math.floor(at.getTime() / 1000) % 100000;
  return `date=${date} time=${time} devname="FGT-DEMO" devid="${device}" logid="0419016384" type="utm" subtype="ips" eventtype="signature" level="alert" severity="high" srcip=10.20.30.41 srcport=51544 dstip=198.51.100.23 dstport=443 action="dropped" attack="${attack}" attackid=12345 incidentserialno=${serial} msg="demo: ${attack}"`;
}

export interface IntakeCommand {
  transport: 'HTTPS' | 'syslog UDP' | 'syslog TCP' | 'SMTP';
  // The rule name the alert it sends shows in `alerts`.
  ruleName: string;
  command: string;
}

// One shell command per transport; the alerts they make are named Demo.<transport>.Probe.
export function intakeCommands(intake: IntakeEndpoints, sensor: DemoSensor, at = new Date()): IntakeCommand[] {
  const line = (transport: string, device: string) => fortigateLine(`Demo.${transport}.Probe`, device, at);
  const mailTo = `${sensor.sensorId}+${sensor.token}@${INTAKE_MAIL_DOMAIN}`;
  return [
    {
      transport: 'HTTPS',
      ruleName: 'Demo.HTTPS.Probe',
      command: `curl -sS ${intake.https}/ingest/v1/sensors/${sensor.sensorId}/events -H 'authorization: Bearer ${sensor.token}' -H 'content-type: text/plain' --data-binary '${line('HTTPS', 'FGT60F00DEMOHTTP')}'`,
    },
    {
      transport: 'syslog UDP',
      ruleName: 'Demo.SyslogUDP.Probe',
      command: `logger --server 127.0.0.1 --port ${intake.syslogUdpPort} --udp '${line('SyslogUDP', 'FGT60F00DEMOUDP0')}'`,
    },
    {
      transport: 'syslog TCP',
      ruleName: 'Demo.SyslogTCP.Probe',
      command: `logger --server 127.0.0.1 --port ${intake.syslogTcpPort} --tcp --octet-count '${line('SyslogTCP', 'FGT60F00DEMOTCP0')}'`,
    },
    {
      transport: 'SMTP',
      ruleName: 'Demo.SMTP.Probe',
      command: `printf 'From: fortigate@demo.example\\r\\nTo: ${mailTo}\\r\\nSubject: FortiGate alert\\r\\n\\r\\n%s\\r\\n' '${line('SMTP', 'FGT60F00DEMOSMTP')}' | curl -sS smtp://127.0.0.1:${intake.smtpPort} --mail-from fortigate@demo.example --mail-rcpt '${mailTo}' --upload-file -`,
    },
  ];
}

// What `npm start` prints about intake.
export function intakeHelp(intake: IntakeEndpoints, sensor: DemoSensor, commands: IntakeCommand[]): string[] {
  return [
    `Where sensors send events (demo sensor "${DEMO_INTAKE_SENSOR}", id ${sensor.sensorId}, token ${sensor.token}):`,
    `  HTTPS       POST ${intake.https}/ingest/v1/sensors/<sensorId>/events with "Authorization: Bearer <token>" (TLS is terminated in front in production)`,
    `  syslog UDP  127.0.0.1:${intake.syslogUdpPort}, syslog TCP 127.0.0.1:${intake.syslogTcpPort} (attributed to the sensor registered for the source address, here 127.0.0.1)`,
    `  SMTP        127.0.0.1:${intake.smtpPort}, to <sensorId>+<token>@${INTAKE_MAIL_DOMAIN}`,
    '',
    'Send a sample event with each (every one becomes an alert in `alerts` within seconds):',
    ...commands.flatMap((c) => [`  # ${c.transport}`, `  ${c.command}`]),
  ];
}
