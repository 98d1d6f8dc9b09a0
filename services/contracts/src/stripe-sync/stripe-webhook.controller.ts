import { Controller, Headers, HttpCode, Post, RawBodyRequest, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@kanshi/errors';
import { StripeWebhooksService } from './stripe-webhooks.service';

// Plain HTTP, not GraphQL: Stripe signs the exact bytes it sends, so the handler needs the raw
// body (the app is created with rawBody: true) and answers with HTTP statuses Stripe understands.
@Controller('webhooks')
export class StripeWebhookController {
  constructor(private readonly service: StripeWebhooksService) {}

  @Post('stripe')
  @HttpCode(200)
  async stripe(@Req() req: RawBodyRequest<FastifyRequest>, @Headers('stripe-signature') signature: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    try {
      const result = await this.service.handle(req.rawBody, signature);
      return { received: true, ...result };
    } catch (err) {
      // 400: Stripe shows the failure and stops; 503: Stripe retries later.
      if (err instanceof DomainError && err.kind === 'BAD_USER_INPUT') {
        void reply.status(400);
        return { error: err.message };
      }
      if (err instanceof DomainError && err.kind === 'UNAVAILABLE') {
        void reply.status(503);
        return { error: err.message };
      }
      throw err;
    }
  }
}
