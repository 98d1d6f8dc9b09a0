import { registerEnumType } from '@nestjs/graphql';
import { enumOf, SOC_SEVERITIES, SOC_SEVERITY_MEANINGS } from '@kanshi/events';

// The SOC's severity under the name the API gives it (the incident subgraph declares the same enum).
export const VerdictSeverity = enumOf(SOC_SEVERITIES);
registerEnumType(VerdictSeverity, {
  name: 'Severity',
  description: 'The SOC’s severity of an incident (the analyst’s or analysis’ decision)',
  valuesMap: Object.fromEntries(SOC_SEVERITIES.map((s) => [s, { description: SOC_SEVERITY_MEANINGS[s] }])),
});
