import { Controller, Headers, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CallTasksService } from './call-tasks.service';

// Twilio's status callbacks and the contact's key press (form-encoded POSTs, parsed by the
// platform's Fastify adapter, signed with X-Twilio-Signature over the URL it called, which is
// TWILIO_CALLBACK_BASE_URL + this path, and the parameters).
@Controller('voice')
export class VoiceCallbackController {
  constructor(private readonly calls: CallTasksService) {}

  @Post('status')
  @HttpCode(204)
  status(@Req() req: FastifyRequest, @Headers('x-twilio-signature') signature: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.handle('status', req, signature, reply);
  }

  @Post('gather')
  @HttpCode(200)
  async gather(@Req() req: FastifyRequest, @Headers('x-twilio-signature') signature: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.handle('gather', req, signature, reply);
    void reply.header('content-type', 'text/xml');
    return '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>';
  }

  private async handle(kind: 'status' | 'gather', req: FastifyRequest, signature: string | undefined, reply: FastifyReply): Promise<void> {
    const body = req.body;
    const params: Record<string, string> =
      typeof body === 'string'
        ? Object.fromEntries(new URLSearchParams(body))
        : Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
    const suffix = req.url.slice(req.url.indexOf('/voice/'));
    if (!(await this.calls.onVoiceCallback(kind, this.calls.callbackBase() + suffix, params, signature))) void reply.status(403);
  }
}
