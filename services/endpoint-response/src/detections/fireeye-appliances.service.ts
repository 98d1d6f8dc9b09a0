import { Injectable } from '@nestjs/common';
import { authorize, Principal } from '@kanshi/auth';
import { JobQueue } from '@kanshi/jobs';
import { createLogger } from '@kanshi/observability';
import { TenantDirectory } from '@kanshi/platform';
import { ConnectorsPermissions } from '../connectors/connectors.permissions';
import { CredentialsCipher } from '../connectors/credentials-cipher';
import { EdrConnectorTestObject } from '../connectors/edr-connector-test.object';
import { VendorError } from '../connectors/vendor-error';
import { ConfigureFireEyeApplianceInput } from './configure-fireeye-appliance.input';
import { applianceSecretContext, DetectionPullService, sourceKey } from './detection-pull.service';
import { DetectionPullJob } from './detection-pull.job';
import { FireEyeApplianceError } from './detections.errors';
import { DetectionsRepository, FireEyeApplianceRow } from './detections.repository';

const log = createLogger('fireeye-appliances');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Provider staff's FireEye NX / CM appliances (the same roles as the EDR connectors): configured
// with an encrypted password, tested, listed with their health. A configured appliance is pulled
// at once, then every DETECTION_PULL_INTERVAL_MS.
@Injectable()
export class FireEyeAppliancesService {
  constructor(
    private readonly repo: DetectionsRepository,
    private readonly directory: TenantDirectory,
    private readonly cipher: CredentialsCipher,
    private readonly pulls: DetectionPullService,
    private readonly jobs: JobQueue,
  ) {}

  async list(principal: Principal, customerId: string): Promise<FireEyeApplianceRow[]> {
    authorize(principal, ConnectorsPermissions.readConnectors);
    if (!UUID.test(customerId)) return [];
    return this.repo.appliances(customerId);
  }

  async configure(principal: Principal, input: ConfigureFireEyeApplianceInput): Promise<FireEyeApplianceRow> {
    authorize(principal, ConnectorsPermissions.configureConnectors);
    await this.directory.visibleCustomerOrThrow(principal, input.customerId);
    const baseUrl = input.baseUrl.replace(/\/+$/, '');
    const row = await this.repo.upsertAppliance({
      customerId: input.customerId,
      product: input.product,
      baseUrl,
      username: input.username,
      passwordCiphertext: input.password ? this.cipher.encrypt(input.password, applianceSecretContext(input.customerId, baseUrl)) : null,
      sensorId: input.sensorId,
    });
    if (!row) throw new FireEyeApplianceError('PASSWORD_REQUIRED', `a new FireEye appliance (${baseUrl}) needs its password`, 'password');
    // Pulled at once (the periodic tick catches up when the queue cannot take the job now).
    const source = { kind: 'fireeye-ws' as const, applianceId: row.id };
    await this.jobs.send(DetectionPullJob, { source }, { singletonKey: sourceKey(source) }).catch((err: unknown) => log.warn({ applianceId: row.id, err }, 'first pull of a configured FireEye appliance not queued; the next tick pulls it'));
    return row;
  }

  // Logs in and asks for the last hour's alerts (nothing is handed on); records the health.
  async test(principal: Principal, id: string): Promise<EdrConnectorTestObject> {
    authorize(principal, ConnectorsPermissions.testConnectors);
    const a = UUID.test(id) ? await this.repo.appliance(id) : null;
    if (!a) throw new FireEyeApplianceError('APPLIANCE_NOT_FOUND', `FireEye appliance ${id} not found`, 'id');
    await this.directory.visibleCustomerOrThrow(principal, a.customerId);
    const started = Date.now();
    try {
      await this.pulls.probe(a);
      await this.repo.setApplianceHealth(a.id, 'HEALTHY', null, new Date());
      return { ok: true, health: 'HEALTHY', message: null, durationMs: Date.now() - started, checkedAt: new Date() };
    } catch (err) {
      if (!(err instanceof VendorError)) throw err;
      if (err.kind === 'AUTH') await this.pulls.applianceRefused(a, err.message);
      const row = await this.repo.appliance(a.id);
      return { ok: false, health: row?.health ?? 'UNKNOWN', message: `${err.kind}: ${err.message}`, durationMs: Date.now() - started, checkedAt: new Date() };
    }
  }
}
