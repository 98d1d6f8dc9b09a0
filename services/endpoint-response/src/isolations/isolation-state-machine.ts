import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  EdrProductCode,
  EndpointChanged,
  EndpointIsolated,
  EndpointIsolationFailed,
  EndpointReleased,
  EventDefinition,
  EventEnvelope,
  IsolationCommandBody,
  IsolationOutcomeBody,
} from '@kanshi/events';
import { defineJob, JobQueue } from '@kanshi/jobs';
import { Outbox } from '@kanshi/messaging';
import { counter, createLogger, histogram } from '@kanshi/observability';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { EndpointResponseConfig } from '../config';
import { EdrConnector, VendorExchange, VendorHost } from '../connectors/edr-connector';
import { EdrConnectorFactory } from '../connectors/edr-connector.factory';
import { EdrProductValue } from '../endpoints/edr-products';
import { endpointChangedBody } from '../endpoints/endpoint-changed';
import { PRODUCT_NAMES } from '../endpoints/endpoint.object';
import { EndpointsRepository } from '../endpoints/endpoints.repository';
import { IsolationEntity } from './isolation.entity';
import { IsolationsRepository, LogLine } from './isolations.repository';

// One run of the state machine for one isolation (contain or release, then poll the EDR).
export const IsolationStepJob = defineJob<{ isolationId: string }>('isolation-step', {
  retryLimit: 10,
  retryDelaySeconds: 2,
  retryBackoff: true,
  expireInSeconds: 600,
  // at most one waiting and one running per isolation (singletonKey = isolation id)
  policy: 'stately',
});
// Fails isolations whose job died past their deadline, and re-queues waiting ones nobody works.
export const IsolationSweepJob = defineJob('isolation-sweep', { retryLimit: 0, expireInSeconds: 120, policy: 'stately' });
const SWEEP_INTERVAL_MS = 30_000;

const SYSTEM = 'system:endpoint-response';
const outcomes = counter('kanshi_isolation_outcomes_total', 'Isolations and releases by outcome (isolated, released, failed)', ['outcome']);
const vendorCalls = histogram('kanshi_edr_call_seconds', 'EDR API calls made for isolations, by product and call', ['product', 'call'], [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]);

type VendorFailure = { kind: string; message: string; exchanges: VendorExchange[] };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The isolation state machine (issue 12): REQUESTED -> ISOLATED | FAILED; ISOLATED ->
// RELEASE_REQUESTED -> RELEASED | FAILED. Commands arrive from the incident service under its
// isolation id (a repeat acts once); the EDR is called from a job, never inside the consumer's
// transaction; its containment is polled with back-off until it confirms, or the isolation fails
// at its deadline. Isolations of one endpoint share one containment: one vendor action at a time
// per endpoint (`endpoint.containment`), whoever asked.
@Injectable()
export class IsolationStateMachine implements OnModuleInit {
  private readonly log = createLogger('IsolationStateMachine');
  // What each isolation's connector exchanged with the vendor (token, lookups, actions) and the
  // isolation log does not have yet.
  private readonly exchanges = new Map<string, VendorExchange[]>();

  constructor(
    private readonly ds: DataSource,
    private readonly repo: IsolationsRepository,
    private readonly endpoints: EndpointsRepository,
    private readonly connectors: EdrConnectorFactory,
    private readonly outbox: Outbox,
    private readonly jobs: JobQueue,
    @Inject(PLATFORM_CONFIG) private readonly config: EndpointResponseConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.work(IsolationStepJob, ({ isolationId }) => this.step(isolationId), { workers: this.config.ISOLATION_WORKERS });
    this.jobs.work(IsolationSweepJob, () => this.sweep());
    this.jobs.every(IsolationSweepJob, SWEEP_INTERVAL_MS);
  }

  // --- commands (inside the consumer's transaction) ---

  // response.isolate: records the isolation once under the incident's id. An endpoint another
  // customer owns, or one Kanshi does not know or cannot act on, fails at once without the EDR.
  async request(em: EntityManager, event: EventEnvelope<IsolationCommandBody>): Promise<void> {
    const b = event.body;
    const customerId = event.customerId;
    const now = new Date();
    const endpoint = await this.endpoints.lock(em, b.endpointId);
    const refusal = !customerId
      ? 'the command names no customer; not acted on'
      : !endpoint
        ? `endpoint ${b.endpointId} is not in the customer's inventory; not acted on`
        : endpoint.customerId !== customerId
          ? `endpoint ${b.endpointId} does not belong to customer ${customerId}; not acted on`
          : !endpoint.edrAgentId || !endpoint.edrProduct
            ? `endpoint ${endpoint.hostName} has no EDR agent known to Kanshi (learned from alerts only); it cannot be isolated remotely`
            : null;
    // Another customer's endpoint: nothing of it is copied onto this customer's isolation.
    const own = endpoint && endpoint.customerId === customerId ? endpoint : null;
    const inserted = await this.repo.insert(em, {
      id: b.isolationId,
      customerId: customerId ?? '00000000-0000-0000-0000-000000000000',
      incidentId: b.incidentId,
      endpointId: b.endpointId,
      status: refusal ? 'FAILED' : 'REQUESTED',
      edrProduct: own?.edrProduct ?? null,
      agentId: own?.edrAgentId ?? null,
      hostName: own?.hostName ?? null,
      reason: b.reason ?? null,
      requestedBy: b.requestedBy ?? null,
      requestedAt: now,
      failedAt: refusal ? now : null,
      error: refusal,
      deadlineAt: refusal ? null : new Date(now.getTime() + this.config.ISOLATION_CONFIRM_TIMEOUT_SECONDS * 1000),
      updatedAt: now,
    });
    if (!inserted) {
      this.log.info({ isolationId: b.isolationId }, 'isolation already requested; the repeated command has no effect');
      return;
    }
    const actor = b.requestedBy ?? 'incident';
    const lines: LogLine[] = [{ at: now, kind: 'STATE', actor, status: 'REQUESTED', text: `isolation requested for incident ${b.incidentId}${b.reason ? `: ${b.reason}` : ''}` }];
    if (refusal) {
      lines.push({ at: now, kind: 'STATE', actor: SYSTEM, status: 'FAILED', text: refusal });
      this.log.warn({ isolationId: b.isolationId, endpointId: b.endpointId, customerId }, refusal);
    }
    await this.repo.log(em, b.isolationId, lines);
    if (refusal) {
      if (customerId) await this.emit(em, EndpointIsolationFailed, { id: b.isolationId, incidentId: b.incidentId, endpointId: b.endpointId, customerId, edrProduct: own?.edrProduct ?? null, hostName: own?.hostName ?? null }, now, refusal);
      outcomes.inc({ outcome: 'failed' });
      return;
    }
    await this.jobs.send(IsolationStepJob, { isolationId: b.isolationId }, { singletonKey: b.isolationId, em });
  }

  // response.release: an isolated endpoint goes back on the network. A release for an isolation
  // still being made waits for it; one for a failed or released isolation changes nothing.
  async requestRelease(em: EntityManager, event: EventEnvelope<IsolationCommandBody>): Promise<void> {
    const b = event.body;
    const iso = await this.repo.lock(em, b.isolationId);
    if (!iso || iso.customerId !== event.customerId) {
      this.log.warn({ isolationId: b.isolationId, customerId: event.customerId }, 'release requested for an isolation this customer does not have; ignored');
      return;
    }
    const now = new Date();
    const actor = b.requestedBy ?? 'incident';
    if (iso.releaseRequestedAt) return; // a repeated release command
    if (iso.status === 'ISOLATED') {
      await this.repo.update(em, iso.id, {
        status: 'RELEASE_REQUESTED',
        releaseRequestedAt: now,
        releaseRequestedBy: b.requestedBy ?? null,
        deadlineAt: new Date(now.getTime() + this.config.ISOLATION_CONFIRM_TIMEOUT_SECONDS * 1000),
      });
      await this.repo.log(em, iso.id, [{ at: now, kind: 'STATE', actor, status: 'RELEASE_REQUESTED', text: `release requested${b.reason ? `: ${b.reason}` : ''}` }]);
      await this.jobs.send(IsolationStepJob, { isolationId: iso.id }, { singletonKey: iso.id, em });
    } else if (iso.status === 'REQUESTED') {
      await this.repo.update(em, iso.id, { releaseRequestedAt: now, releaseRequestedBy: b.requestedBy ?? null });
      await this.repo.log(em, iso.id, [{ at: now, kind: 'NOTE', actor, text: 'release requested before the containment was confirmed: released once it is' }]);
    } else {
      await this.repo.log(em, iso.id, [{ at: now, kind: 'NOTE', actor, text: `release requested for a ${iso.status} isolation: nothing to do` }]);
    }
  }

  // --- the job ---

  async step(isolationId: string): Promise<void> {
    const leaseMs = this.config.ISOLATION_INLINE_POLL_MS + 120_000;
    const iso = await this.repo.lease(isolationId, leaseMs);
    if (!iso) {
      const seen = await this.repo.find(isolationId);
      // Queued in the consumer's transaction, so it exists; another run holds it, or it is done.
      if (!seen) throw new Error(`isolation ${isolationId} not found`);
      return;
    }
    let again: number | null = null;
    try {
      again = iso.status === 'REQUESTED' ? await this.contain(iso) : await this.release(iso);
    } finally {
      // lookups of a poll handed over to a later job: logged now, not kept in memory
      const left = this.exchangeLines(isolationId);
      if (left.length) await this.ds.transaction((em) => this.repo.log(em, isolationId, left)).catch((err: unknown) => this.log.warn({ err, isolationId }, 'could not log the EDR exchanges'));
      await this.repo.unlease(isolationId);
    }
    if (again === null) return;
    try {
      await this.jobs.send(IsolationStepJob, { isolationId }, { singletonKey: isolationId, startAfter: new Date(Date.now() + again) });
    } catch (err) {
      // the sweep queues it again (shutting down, or the queue unreachable)
      this.log.warn({ err, isolationId }, 'could not queue the next isolation step');
    }
  }

  // The sweep: fail what is past its deadline, re-queue what nobody works.
  async sweep(): Promise<void> {
    for (const w of await this.repo.waiting()) {
      if (w.overdue) {
        const iso = await this.repo.find(w.id);
        if (iso) await this.fail(iso, this.timeoutMessage(iso));
      } else await this.jobs.send(IsolationStepJob, { isolationId: w.id }, { singletonKey: w.id });
    }
  }

  // Returns the delay before the next run, or null when the isolation reached a final state.
  private async contain(iso: IsolationEntity): Promise<number | null> {
    if (this.overdue(iso)) return this.fail(iso, this.timeoutMessage(iso));
    if (!iso.actionSentAt) {
      const decision = await this.ds.transaction(async (em) => {
        const e = await this.endpoints.lock(em, iso.endpointId);
        if (!e) return 'gone' as const;
        if (iso.actionAttempts > 0) {
          await this.repo.update(em, iso.id, { actionAttempts: iso.actionAttempts + 1 });
          return 'recheck' as const;
        }
        if (e.containment === 'CONTAINED') return 'contained' as const;
        if (e.containment === 'CONTAINING' || e.containment === 'RELEASING') return 'wait' as const;
        await this.endpoints.setContainment(em, e, 'CONTAINING');
        await this.repo.update(em, iso.id, { actionAttempts: 1 });
        return 'act' as const;
      });
      if (decision === 'gone') return this.fail(iso, `endpoint ${iso.endpointId} is no longer in the inventory`);
      if (decision === 'contained') return this.confirm(iso, null, 'the endpoint is already isolated (shared containment)');
      if (decision === 'wait') return this.config.ISOLATION_POLL_INITIAL_MS;
      const connector = await this.connector(iso);
      if ('failure' in connector) return this.failVendor(iso, connector.failure);
      if (decision === 'recheck') {
        // The last attempt's outcome is unknown: ask the EDR before acting again.
        const host = await this.findHost(connector.c, iso);
        if ('failure' in host) return this.transientOrFail(iso, host.failure);
        if (!host.host) return this.failNotFound(iso);
        if (host.host.containment === 'CONTAINED') return this.confirm(iso, host.host, null);
        if (host.host.containment !== 'PENDING') {
          const sent = await this.act(iso, connector.c, 'contain');
          if (sent !== true) return sent;
        } else await this.markSent(iso, 'contain');
      } else {
        const sent = await this.act(iso, connector.c, 'contain');
        if (sent !== true) return sent;
      }
    }
    return this.poll(iso, 'CONTAINED');
  }

  private async release(iso: IsolationEntity): Promise<number | null> {
    if (this.overdue(iso)) return this.fail(iso, this.timeoutMessage(iso));
    if (!iso.releaseSentAt) {
      const decision = await this.ds.transaction(async (em) => {
        const e = await this.endpoints.lock(em, iso.endpointId);
        if (!e) return { kind: 'gone' as const };
        const holders = await this.repo.others(em, iso.endpointId, iso.id, ['REQUESTED', 'ISOLATED']);
        if (holders.length) return { kind: 'held' as const, by: holders.map((h) => h.id) };
        if (iso.releaseAttempts > 0) {
          await this.repo.update(em, iso.id, { releaseAttempts: iso.releaseAttempts + 1 });
          return { kind: 'recheck' as const };
        }
        if (e.containment === 'NORMAL') return { kind: 'released' as const };
        if (e.containment === 'RELEASING' || e.containment === 'CONTAINING') return { kind: 'wait' as const };
        await this.endpoints.setContainment(em, e, 'RELEASING');
        await this.repo.update(em, iso.id, { releaseAttempts: 1 });
        return { kind: 'act' as const };
      });
      switch (decision.kind) {
        case 'gone':
          return this.fail(iso, `endpoint ${iso.endpointId} is no longer in the inventory`);
        case 'held':
          return this.confirmRelease(iso, null, `the endpoint stays isolated for isolation ${decision.by.join(', ')}; released without an EDR action`);
        case 'released':
          return this.confirmRelease(iso, null, 'the EDR had already released the endpoint');
        case 'wait':
          return this.config.ISOLATION_POLL_INITIAL_MS;
      }
      const connector = await this.connector(iso);
      if ('failure' in connector) return this.failVendor(iso, connector.failure);
      if (decision.kind === 'recheck') {
        const host = await this.findHost(connector.c, iso);
        if ('failure' in host) return this.transientOrFail(iso, host.failure);
        if (!host.host) return this.failNotFound(iso);
        if (host.host.containment === 'NORMAL') return this.confirmRelease(iso, host.host, null);
        if (host.host.containment !== 'RELEASE_PENDING') {
          const sent = await this.act(iso, connector.c, 'release');
          if (sent !== true) return sent;
        } else await this.markSent(iso, 'release');
      } else {
        const sent = await this.act(iso, connector.c, 'release');
        if (sent !== true) return sent;
      }
    }
    return this.poll(iso, 'NORMAL');
  }

  // Calls contain / release once; true when the EDR accepted it (the request is recorded as sent).
  private async act(iso: IsolationEntity, c: EdrConnector, action: 'contain' | 'release'): Promise<true | number | null> {
    const started = Date.now();
    const ctx = { isolationId: iso.id, incidentId: iso.incidentId };
    let result;
    try {
      result = action === 'contain' ? await c.contain(iso.agentId!, ctx) : await c.release(iso.agentId!, ctx);
    } catch (err) {
      vendorCalls.observe({ product: iso.edrProduct!, call: action }, (Date.now() - started) / 1000);
      return this.transientOrFail(iso, this.failureOf(err));
    }
    vendorCalls.observe({ product: iso.edrProduct!, call: action }, (Date.now() - started) / 1000);
    if (!result.accepted) return this.failVendor(iso, { kind: 'REJECTED', message: result.message ?? `${this.vendorName(iso)} refused to ${action} the host`, exchanges: result.exchanges });
    await this.ds.transaction(async (em) => {
      await this.repo.update(em, iso.id, action === 'contain' ? { actionSentAt: new Date() } : { releaseSentAt: new Date() });
      await this.repo.log(em, iso.id, [
        ...this.exchangeLines(iso.id, result.exchanges),
        { at: new Date(), kind: 'NOTE', actor: SYSTEM, text: `${action === 'contain' ? 'containment' : 'release'} accepted by ${this.vendorName(iso)}; waiting for it to be confirmed` },
      ]);
    });
    await this.connectors.markHealthy(iso.customerId, iso.edrProduct as EdrProductCode).catch(() => undefined);
    return true;
  }

  private async markSent(iso: IsolationEntity, action: 'contain' | 'release'): Promise<void> {
    await this.ds.transaction(async (em) => {
      await this.repo.update(em, iso.id, action === 'contain' ? { actionSentAt: new Date() } : { releaseSentAt: new Date() });
      await this.repo.log(em, iso.id, [...this.exchangeLines(iso.id), { at: new Date(), kind: 'NOTE', actor: SYSTEM, text: `${this.vendorName(iso)} already has the ${action} in progress; not asked again` }]);
    });
  }

  // Polls the EDR with back-off until it reports `want`, for at most ISOLATION_INLINE_POLL_MS;
  // then hands over to a later job (the returned delay).
  private async poll(iso: IsolationEntity, want: 'CONTAINED' | 'NORMAL'): Promise<number | null> {
    const connector = await this.connector(iso);
    if ('failure' in connector) return this.failVendor(iso, connector.failure);
    const inlineUntil = Date.now() + this.config.ISOLATION_INLINE_POLL_MS;
    let delay = this.config.ISOLATION_POLL_INITIAL_MS;
    for (;;) {
      await sleep(Math.min(delay, Math.max(0, iso.deadlineAt!.getTime() - Date.now())));
      if (this.overdue(iso)) return this.fail(iso, this.timeoutMessage(iso));
      const found = await this.findHost(connector.c, iso);
      if ('failure' in found) {
        const next = await this.transientOrFail(iso, found.failure);
        if (next === null) return null;
      } else if (!found.host) return this.failNotFound(iso);
      else if (found.host.containment === want) return want === 'CONTAINED' ? this.confirm(iso, found.host, null) : this.confirmRelease(iso, found.host, null);
      delay = Math.min(delay * 2, this.config.ISOLATION_POLL_MAX_MS);
      if (Date.now() + delay > inlineUntil) return delay;
    }
  }

  private async findHost(c: EdrConnector, iso: IsolationEntity): Promise<{ host: VendorHost | null } | { failure: VendorFailure }> {
    const started = Date.now();
    try {
      const host = await c.findHost({ agentId: iso.agentId });
      return { host };
    } catch (err) {
      return { failure: this.failureOf(err) };
    } finally {
      vendorCalls.observe({ product: iso.edrProduct!, call: 'findHost' }, (Date.now() - started) / 1000);
    }
  }

  private async connector(iso: IsolationEntity): Promise<{ c: EdrConnector } | { failure: VendorFailure }> {
    try {
      const onExchange = (x: VendorExchange): void => {
        const list = this.exchanges.get(iso.id) ?? [];
        list.push(x);
        this.exchanges.set(iso.id, list);
      };
      return { c: await this.connectors.forCustomer(iso.customerId, iso.edrProduct as EdrProductCode, { onExchange }) };
    } catch (err) {
      return { failure: this.failureOf(err) };
    }
  }

  // Rate limits, 5xx and timeouts the adapter could not ride out: logged, and tried again later
  // (within the deadline); anything else fails the isolation.
  private async transientOrFail(iso: IsolationEntity, f: VendorFailure): Promise<number | null> {
    if (!['RATE_LIMITED', 'UNAVAILABLE', 'TIMEOUT', 'CIRCUIT_OPEN'].includes(f.kind)) return this.failVendor(iso, f);
    await this.ds.transaction((em) => this.repo.log(em, iso.id, [...this.exchangeLines(iso.id, f.exchanges), { at: new Date(), kind: 'NOTE', actor: SYSTEM, text: `${this.vendorName(iso)} did not answer (${f.kind}): ${f.message}; trying again` }]));
    return this.config.ISOLATION_POLL_MAX_MS;
  }

  private async failVendor(iso: IsolationEntity, f: VendorFailure): Promise<null> {
    if (f.kind === 'NOT_FOUND') return this.failNotFound(iso, f.exchanges);
    if (f.kind === 'AUTH') {
      // Wrong or revoked credentials: provider staff are alerted (error log, unhealthy connector).
      this.log.error({ customerId: iso.customerId, product: iso.edrProduct, isolationId: iso.id, vendorMessage: f.message }, `${this.vendorName(iso)} refused the customer's credentials; connector marked unhealthy`);
      await this.connectors.markUnhealthy(iso.customerId, iso.edrProduct as EdrProductCode, f.message).catch((err: unknown) => this.log.warn({ err }, 'could not mark the connector unhealthy'));
      // the adapter's message may already say who refused: the vendor's own words only
      return this.fail(iso, `${this.vendorName(iso)} refused the credentials: ${f.message.replace(/^.*? refused the credentials: /, '')}`, f.exchanges);
    }
    return this.fail(iso, f.message, f.exchanges);
  }

  private failNotFound(iso: IsolationEntity, exchanges: VendorExchange[] = []): Promise<null> {
    return this.fail(iso, `${iso.hostName ?? iso.endpointId} (agent ${iso.agentId}) not found in ${this.vendorName(iso)}`, exchanges);
  }

  // FAILED, with the endpoint's containment put back as it was known; isolations that were
  // waiting on this one's containment fail with it.
  private async fail(iso: IsolationEntity, error: string, exchanges: VendorExchange[] = []): Promise<null> {
    const now = new Date();
    await this.ds.transaction(async (em) => {
      const cur = await this.repo.lock(em, iso.id);
      if (!cur || (cur.status !== 'REQUESTED' && cur.status !== 'RELEASE_REQUESTED')) return;
      const e = await this.endpoints.lock(em, cur.endpointId);
      const releasing = cur.status === 'RELEASE_REQUESTED';
      const failed = [cur];
      if (e && !releasing && cur.actionAttempts > 0 && e.containment === 'CONTAINING') {
        await this.endpoints.setContainment(em, e, 'NORMAL');
        failed.push(...(await this.repo.others(em, cur.endpointId, cur.id, ['REQUESTED'])).filter((o) => o.actionAttempts === 0));
      }
      if (e && releasing && cur.releaseAttempts > 0 && e.containment === 'RELEASING') await this.endpoints.setContainment(em, e, 'CONTAINED');
      for (const f of failed) {
        const text = f === cur ? error : `failed with isolation ${cur.id}, whose containment it shared: ${error}`;
        await this.repo.update(em, f.id, { status: 'FAILED', failedAt: now, error: text, deadlineAt: null });
        await this.repo.log(em, f.id, [...(f === cur ? this.exchangeLines(iso.id, exchanges) : []), { at: now, kind: 'STATE', actor: SYSTEM, status: 'FAILED', text }]);
        await this.emit(em, EndpointIsolationFailed, f, now, text);
        outcomes.inc({ outcome: 'failed' });
      }
    });
    this.log.warn({ isolationId: iso.id, customerId: iso.customerId, error }, 'isolation failed');
    return null;
  }

  // ISOLATED (with the isolations that shared the containment); the endpoint is isolated.
  private async confirm(iso: IsolationEntity, host: VendorHost | null, note: string | null): Promise<number | null> {
    const now = new Date();
    let releaseNext = false;
    await this.ds.transaction(async (em) => {
      const cur = await this.repo.lock(em, iso.id);
      if (!cur || cur.status !== 'REQUESTED') return;
      const e = await this.endpoints.lock(em, cur.endpointId);
      if (e && (e.containment !== 'CONTAINED' || !e.isolated)) {
        const changed = await this.endpoints.change(em, e, { containment: 'CONTAINED', isolated: true });
        await this.outbox.add(em, EndpointChanged, endpointChangedBody(changed), { customerId: changed.customerId });
      }
      const followers = (await this.repo.others(em, cur.endpointId, cur.id, ['REQUESTED'])).filter((o) => o.actionAttempts === 0);
      for (const i of [cur, ...followers]) {
        const text = i !== cur ? `isolated: shares the containment of isolation ${cur.id}` : note ? `isolated: ${note}` : `${this.vendorName(cur)} confirmed the containment${host ? ` of ${host.hostName}` : ''}`;
        const release = i.releaseRequestedAt !== null;
        await this.repo.update(em, i.id, {
          status: release ? 'RELEASE_REQUESTED' : 'ISOLATED',
          isolatedAt: now,
          deadlineAt: release ? new Date(now.getTime() + this.config.ISOLATION_CONFIRM_TIMEOUT_SECONDS * 1000) : null,
        });
        const lines: LogLine[] = [...(i === cur ? this.exchangeLines(cur.id) : []), { at: now, kind: 'STATE', actor: SYSTEM, status: 'ISOLATED', text }];
        if (release) lines.push({ at: now, kind: 'STATE', actor: i.releaseRequestedBy ?? 'incident', status: 'RELEASE_REQUESTED', text: 'release requested while the containment was being made' });
        await this.repo.log(em, i.id, lines);
        await this.emit(em, EndpointIsolated, i, now, null);
        outcomes.inc({ outcome: 'isolated' });
        if (release && i === cur) releaseNext = true;
        else if (release) await this.jobs.send(IsolationStepJob, { isolationId: i.id }, { singletonKey: i.id, em });
      }
    });
    return releaseNext ? 0 : null;
  }

  private async confirmRelease(iso: IsolationEntity, host: VendorHost | null, note: string | null): Promise<null> {
    const now = new Date();
    await this.ds.transaction(async (em) => {
      const cur = await this.repo.lock(em, iso.id);
      if (!cur || cur.status !== 'RELEASE_REQUESTED') return;
      const e = await this.endpoints.lock(em, cur.endpointId);
      if (!note && e && (e.containment !== 'NORMAL' || e.isolated)) {
        const changed = await this.endpoints.change(em, e, { containment: 'NORMAL', isolated: false });
        await this.outbox.add(em, EndpointChanged, endpointChangedBody(changed), { customerId: changed.customerId });
      }
      const text = note ? `released: ${note}` : `${this.vendorName(cur)} confirmed the release${host ? ` of ${host.hostName}` : ''}`;
      await this.repo.update(em, cur.id, { status: 'RELEASED', releasedAt: now, deadlineAt: null });
      await this.repo.log(em, cur.id, [...this.exchangeLines(cur.id), { at: now, kind: 'STATE', actor: SYSTEM, status: 'RELEASED', text }]);
      await this.emit(em, EndpointReleased, cur, now, null);
      outcomes.inc({ outcome: 'released' });
    });
    return null;
  }

  private emit(
    em: EntityManager,
    def: EventDefinition<IsolationOutcomeBody>,
    i: Pick<IsolationEntity, 'id' | 'incidentId' | 'endpointId' | 'customerId' | 'edrProduct' | 'hostName'>,
    at: Date,
    error: string | null,
  ): Promise<string> {
    const body: IsolationOutcomeBody = { isolationId: i.id, incidentId: i.incidentId, endpointId: i.endpointId, at: at.toISOString() };
    if (i.edrProduct) body.vendor = i.edrProduct;
    if (i.hostName) body.hostName = i.hostName;
    if (error) body.error = error;
    return this.outbox.add(em, def, body, { customerId: i.customerId });
  }

  // The exchanges the isolation's connector made since the last log write (token requests and
  // lookups included, secrets removed); `fallback` when no connector reported any.
  private exchangeLines(isolationId: string, fallback: VendorExchange[] = []): LogLine[] {
    const made = this.exchanges.get(isolationId);
    this.exchanges.delete(isolationId);
    return (made?.length ? made : fallback).map((x) => ({
      at: new Date(x.at),
      kind: 'VENDOR' as const,
      actor: SYSTEM,
      text: x.summary,
      method: x.method,
      path: x.path,
      httpStatus: x.status,
      durationMs: Math.round(x.durationMs),
    }));
  }

  private failureOf(err: unknown): VendorFailure {
    if (err instanceof Error && err.name === 'VendorError') {
      const v = err as Error & { kind: string; exchanges?: VendorExchange[] };
      return { kind: v.kind, message: v.message, exchanges: v.exchanges ?? [] };
    }
    this.log.warn({ err }, 'unexpected error from an EDR connector');
    return { kind: 'UNAVAILABLE', message: err instanceof Error ? err.message : String(err), exchanges: [] };
  }

  private overdue(iso: IsolationEntity): boolean {
    return iso.deadlineAt !== null && iso.deadlineAt.getTime() <= Date.now();
  }

  private timeoutMessage(iso: IsolationEntity): string {
    const what = iso.status === 'RELEASE_REQUESTED' ? 'release' : 'containment';
    return `${this.vendorName(iso)} did not confirm the ${what} within ${this.config.ISOLATION_CONFIRM_TIMEOUT_SECONDS} s`;
  }

  private vendorName(iso: Pick<IsolationEntity, 'edrProduct'>): string {
    return iso.edrProduct ? PRODUCT_NAMES[iso.edrProduct as EdrProductValue] : 'the EDR';
  }

}
