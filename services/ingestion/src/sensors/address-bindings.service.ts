import { Injectable } from '@nestjs/common';
import { isIP } from 'node:net';
import { DataSource } from 'typeorm';
import { authorize, Principal, scopeOf } from '@kanshi/auth';
import { IngestionPermissions } from '../ingestion.permissions';
import type { AddressBindingStatusCode } from './address-binding-kinds';
import type { AddressBindingRequestObject } from './address-binding-request.object';
import { DecideAddressBindingInput, RequestAddressBindingInput } from './address-binding.input';
import { AddressBindingsRepository } from './address-bindings.repository';
import { IngestionError } from './ingestion.errors';
import { SensorDirectory } from './sensor-directory.service';
import { SensorsRepository } from './sensors.repository';
import { SensorsService } from './sensors.service';

const MAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_LIST = 500;

// Binding a syslog source address or a mail sender to a sensor: customers, partners and engineers
// ask, provider_admin decides. A request never tells whether another tenant has the address: only
// the decision (by provider staff, who see every tenant) checks that.
@Injectable()
export class AddressBindingsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: AddressBindingsRepository,
    private readonly sensorsRepo: SensorsRepository,
    private readonly sensors: SensorsService,
    private readonly directory: SensorDirectory,
  ) {}

  async request(principal: Principal, input: RequestAddressBindingInput): Promise<AddressBindingRequestObject> {
    authorize(principal, IngestionPermissions.requestAddressBindings);
    const address = input.kind === 'SENDER' ? input.address.trim().toLowerCase() : input.address.trim();
    if (input.kind === 'SOURCE_IP' ? !isIP(address) : !MAIL_ADDRESS.test(address)) {
      throw new IngestionError('BAD_INPUT', `"${input.address}" is not ${input.kind === 'SOURCE_IP' ? 'an IP address' : 'a mail address'}`, 'address');
    }
    const [sensor] = await this.sensorsRepo.findVisibleByIds(scopeOf(principal), [input.sensorId]);
    if (!sensor) throw new IngestionError('SENSOR_NOT_FOUND', `sensor ${input.sensorId} not found`, 'sensorId');
    if (sensor.revokedAt) throw new IngestionError('SENSOR_REVOKED', `sensor ${input.sensorId} was revoked`, 'sensorId');
    try {
      this.sensors.assertBindable(input.kind === 'SOURCE_IP' ? [address] : [], input.kind === 'SENDER' ? [address] : []);
    } catch (err) {
      if (err instanceof IngestionError) throw new IngestionError(err.code, err.message, 'address');
      throw err;
    }
    return this.ds.transaction((em) => this.repo.insertPending(em, { sensorId: sensor.id, customerId: sensor.customerId, kind: input.kind, address, requestedBy: principal.subject }));
  }

  list(principal: Principal, status?: AddressBindingStatusCode): Promise<AddressBindingRequestObject[]> {
    authorize(principal, IngestionPermissions.readAddressBindingRequests);
    return this.repo.list(scopeOf(principal), status, MAX_LIST);
  }

  async decide(principal: Principal, input: DecideAddressBindingInput): Promise<AddressBindingRequestObject> {
    authorize(principal, IngestionPermissions.bindSensorAddresses);
    const decided = await this.ds.transaction(async (em) => {
      const request = await this.repo.findForUpdate(em, input.requestId);
      if (!request) throw new IngestionError('BINDING_REQUEST_NOT_FOUND', `binding request ${input.requestId} not found`, 'requestId');
      if (request.status !== 'PENDING') throw new IngestionError('BINDING_REQUEST_DECIDED', `binding request ${input.requestId} was already ${request.status.toLowerCase()}`, 'requestId');
      if (!input.approve) return this.repo.decide(em, request.id, 'REJECTED', principal.subject, input.note ?? null);
      const sensor = await this.sensorsRepo.findByIdForUpdate(em, request.sensorId);
      if (!sensor || sensor.revokedAt) throw new IngestionError('SENSOR_REVOKED', `sensor ${request.sensorId} was revoked`, 'requestId');
      const ips = request.kind === 'SOURCE_IP' ? [request.address] : [];
      const senders = request.kind === 'SENDER' ? [request.address] : [];
      this.sensors.assertBindable(ips, senders);
      // the decider is provider staff: a conflict may name the address
      await this.sensors.assertUnclaimed(em, ips, senders, sensor.id);
      if (ips.length && !sensor.allowedSourceIps.includes(ips[0])) sensor.allowedSourceIps = [...sensor.allowedSourceIps, ips[0]];
      if (senders.length && !sensor.allowedSenders.includes(senders[0])) sensor.allowedSenders = [...sensor.allowedSenders, senders[0]];
      await this.sensorsRepo.save(em, sensor);
      return this.repo.decide(em, request.id, 'APPROVED', principal.subject, input.note ?? null);
    });
    this.directory.invalidate();
    return decided;
  }
}
