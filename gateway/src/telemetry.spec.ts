import * as otel from '@apollo/gateway/dist/utilities/opentelemetry';
import { ApolloGateway } from '@apollo/gateway';
import { applyTelemetryDefault } from './telemetry';
import './gateway.server';

// @apollo/gateway's hourly report of host, OS and cloud metadata to Apollo: off unless asked for.
describe('Apollo gateway telemetry', () => {
  const exporter = jest.spyOn(otel, 'createDataCollectionExporter').mockImplementation(() => ({ shutdown: async () => undefined }) as never);
  const saved = { ...process.env };
  afterEach(() => {
    exporter.mockClear();
    process.env = { ...saved };
  });

  it('is off once the gateway is loaded: no data collection exporter is created', async () => {
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('true');
    const gw = new ApolloGateway({ supergraphSdl: 'type Query { x: Int }' });
    expect(exporter).not.toHaveBeenCalled();
    await gw.stop().catch(() => undefined);
  });

  it('stays on only when Kanshi is told to allow it', () => {
    const env: NodeJS.ProcessEnv = { KANSHI_APOLLO_TELEMETRY: 'true' };
    applyTelemetryDefault(env);
    expect(env.APOLLO_TELEMETRY_DISABLED).toBeUndefined();
    delete process.env.APOLLO_TELEMETRY_DISABLED;
    new ApolloGateway({ supergraphSdl: 'type Query { x: Int }' });
    expect(exporter).toHaveBeenCalledTimes(1);
    const off: NodeJS.ProcessEnv = {};
    applyTelemetryDefault(off);
    expect(off.APOLLO_TELEMETRY_DISABLED).toBe('true');
  });
});
