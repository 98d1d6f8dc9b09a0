import { registerEnumType } from '@nestjs/graphql';
import { enumOf, SOC_SEVERITIES, SOC_SEVERITY_MEANINGS } from '@kanshi/events';

// The SOC's severity as the GraphQL enum `Severity`, registered once per process with one
// description, so every subgraph that shows it (incident, analysis) declares the same enum.
export const SocSeverityEnum = enumOf(SOC_SEVERITIES);
registerEnumType(SocSeverityEnum, {
  name: 'Severity',
  description: 'The SOC’s severity of an incident (the analyst’s or analysis’ decision)',
  valuesMap: Object.fromEntries(SOC_SEVERITIES.map((s) => [s, { description: SOC_SEVERITY_MEANINGS[s] }])),
});
