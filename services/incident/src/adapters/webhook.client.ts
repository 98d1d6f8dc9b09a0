// POSTs a signed webhook delivery. The connection goes only to an address the destination policy
// allows: the URL is checked, and the resolver's answer is checked inside the connect (no DNS
// rebinding between a check and the request); redirects are not followed.
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Agent, request } from 'undici';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { IncidentConfig } from '../config';
import { DestinationPolicy, guardedLookup, urlProblem } from '../webhooks/destination-guard';

export interface WebhookResponse {
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

@Injectable()
export class WebhookClient implements OnModuleDestroy {
  readonly policy: DestinationPolicy;
  private readonly agent: Agent;

  constructor(@Inject(PLATFORM_CONFIG) private readonly config: IncidentConfig) {
    this.policy = { production: config.NODE_ENV === 'production', allowLoopback: config.WEBHOOK_ALLOW_LOOPBACK };
    this.agent = new Agent({ connect: { lookup: guardedLookup(this.policy) as never, timeout: config.WEBHOOK_TIMEOUT_MS } });
  }

  async post(url: string, headers: Record<string, string>, body: string): Promise<WebhookResponse> {
    const started = process.hrtime.bigint();
    const ms = () => Math.round(Number(process.hrtime.bigint() - started) / 1e6);
    const problem = urlProblem(url, this.policy);
    if (problem) return { statusCode: null, durationMs: 0, error: `destination refused: ${problem}` };
    try {
      const res = await request(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'Kanshi-Webhooks/1' },
        body,
        dispatcher: this.agent,
        headersTimeout: this.config.WEBHOOK_TIMEOUT_MS,
        bodyTimeout: this.config.WEBHOOK_TIMEOUT_MS,
        signal: AbortSignal.timeout(this.config.WEBHOOK_TIMEOUT_MS),
      });
      await res.body.dump();
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      return { statusCode: res.statusCode, durationMs: ms(), error: ok ? null : `answered ${res.statusCode}` };
    } catch (err) {
      const e = err as Error & { code?: string; cause?: Error & { code?: string } };
      const cause = e.cause ?? e;
      const refused = cause.code === 'EDESTINATIONREFUSED';
      return { statusCode: null, durationMs: ms(), error: refused ? `destination refused: ${cause.message}` : `${cause.code ?? e.name}: ${cause.message}` };
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close();
  }
}
