import { startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { DownloadServer } from '../downloads/download-server';

// The reporting subgraph on the run's database, its download server on a random public port.
export async function startReporting(env: Record<string, string> = {}): Promise<SubgraphKit & { downloadBase: string }> {
  const kit = await startSubgraph({
    service: 'reporting',
    schema: 'reporting',
    loadConfig: (e) => loadConfig({ ...e, PUBLIC_PORT: '0', REPORT_BROWSERS: '1', MONTHLY_REPORT_CATCH_UP: 'false', ...env }),
    module: (config, opts) => AppModule.forRoot(config, opts),
  });
  return Object.assign(kit, { downloadBase: `http://127.0.0.1:${kit.app.get(DownloadServer).port}` });
}

// A small but real PDF (what ReportStore accepts), different for each `text`.
export function tinyPdf(text: string): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`);
}
