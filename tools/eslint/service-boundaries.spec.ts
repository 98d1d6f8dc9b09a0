import { RuleTester } from 'eslint';
import * as path from 'node:path';
import tseslint from 'typescript-eslint';

const rule = require('./service-boundaries');
const root = path.resolve(__dirname, '..', '..');
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser as never } });

// RuleTester declares its own describe/it blocks: one test per case below.
describe('kanshi/service-boundaries fails the build on a service importing another service or the gateway importing a service', () => {
  {
    tester.run('service-boundaries', rule, {
      valid: [
        { filename: path.join(root, 'services/incident/src/incidents/x.ts'), code: "import { Outbox } from '@kanshi/messaging';" },
        { filename: path.join(root, 'services/incident/src/incidents/x.ts'), code: "import { IncidentEntity } from './incident.entity';" },
        { filename: path.join(root, 'services/incident/src/incidents/x.ts'), code: "import { NatsBus } from '../../../../libs/messaging/src';" },
        { filename: path.join(root, 'scripts/compose.ts'), code: "import { AppModule } from '../services/incident/src/app.module';" },
      ],
      invalid: [
        { filename: path.join(root, 'services/analysis/src/rules/x.ts'), code: "import { IncidentEntity } from '../../../incident/src/incidents/incident.entity';", errors: [{ messageId: 'crossService' }] },
        { filename: path.join(root, 'gateway/src/main.ts'), code: "import { AppModule } from '../../services/contracts/src/app.module';", errors: [{ messageId: 'crossService' }] },
        { filename: path.join(root, 'services/reporting/src/x.ts'), code: "const m = require('../../ingestion/src/config');", errors: [{ messageId: 'crossService' }] },
        { filename: path.join(root, 'libs/auth/src/x.ts'), code: "export * from '../../../services/contracts/src/config';", errors: [{ messageId: 'libImportsApp' }] },
      ],
    });
  }
});
