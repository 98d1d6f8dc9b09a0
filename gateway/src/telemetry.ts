// @apollo/gateway reports the host, OS and cloud metadata to Apollo every hour unless
// APOLLO_TELEMETRY_DISABLED is set. Kanshi turns that off by default; KANSHI_APOLLO_TELEMETRY=true
// leaves Apollo's default on. Imported first by the gateway (the variable is read when an
// ApolloGateway is constructed), so it holds however the gateway is started.
export function applyTelemetryDefault(env: NodeJS.ProcessEnv = process.env): void {
  const optIn = ['1', 'true', 'yes', 'on'].includes((env.KANSHI_APOLLO_TELEMETRY ?? '').toLowerCase());
  if (!optIn) env.APOLLO_TELEMETRY_DISABLED = 'true';
}

applyTelemetryDefault();
