import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { counter, createLogger } from '@kanshi/observability';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { ReportingConfig } from '../config';
import { DownloadUrlSigner } from '../reports/download-url-signer';
import { ReportDownloads } from '../reports/report-downloads';

const downloads = counter('kanshi_report_downloads_total', 'Report downloads by HTTP status', ['status']);
const PATH = /^\/reports\/([0-9a-fA-F-]{36})\.pdf$/;

// Reporting's public port (PUBLIC_PORT, not the subgraph's): GET /reports/<id>.pdf with a signed
// query, no Authorization header. Everything else is 404; a bad, expired or foreign URL is 403.
@Injectable()
export class DownloadServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = createLogger('DownloadServer');
  private server?: Server;

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: Pick<ReportingConfig, 'PUBLIC_PORT'>,
    private readonly downloads: ReportDownloads,
    private readonly signer: DownloadUrlSigner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.PUBLIC_PORT, () => resolve());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    if (this.config.PUBLIC_PORT === 0) this.signer.baseUrl = `http://127.0.0.1:${port}`;
    this.log.info({ port }, 'report downloads listening');
  }

  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeIdleConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = (status: number, body: string | Buffer, headers: Record<string, string> = {}) => {
      downloads.inc({ status: String(status) });
      res.writeHead(status, { 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    try {
      const url = new URL(req.url ?? '/', 'http://download');
      if (url.pathname === '/health') return reply(200, 'ok', { 'content-type': 'text/plain' });
      const m = PATH.exec(url.pathname);
      if (!m) return reply(404, 'not found', { 'content-type': 'text/plain' });
      if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'method not allowed', { 'content-type': 'text/plain', allow: 'GET, HEAD' });
      const out = await this.downloads.open(m[1].toLowerCase(), url.searchParams);
      if (out.status === 200) {
        return reply(200, out.pdf, {
          'content-type': 'application/pdf',
          'content-length': String(out.pdf.length),
          'content-disposition': `attachment; filename="${out.fileName}"`,
          etag: `"${out.sha256}"`,
        });
      }
      const text = { 403: 'forbidden: the link is invalid or has expired', 404: 'not found', 500: 'the report cannot be read' }[out.status];
      return reply(out.status, text, { 'content-type': 'text/plain' });
    } catch (err) {
      this.log.error({ err }, 'download failed');
      if (!res.headersSent) reply(500, 'the report cannot be read', { 'content-type': 'text/plain' });
      else res.destroy();
    }
  }
}
