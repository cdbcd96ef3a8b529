import type { CaseFile } from '../harness/suite.ts';
import { discoveryCases } from './discovery.cases.ts';
import { configmapCases } from './configmap.cases.ts';
import { coreCases } from './core.cases.ts';
import { coordinationEventsCases } from './coordination-events.cases.ts';
import { appsCases } from './apps.cases.ts';
import { rbacAdmissionCases } from './rbac-admission.cases.ts';
import { crdCases } from './crd.cases.ts';
import { customResourceCases } from './custom-resource.cases.ts';
import { listCases } from './list.cases.ts';
import { watchCases } from './watch.cases.ts';
import { patchCases } from './patch.cases.ts';
import { deleteCases } from './delete.cases.ts';
import { requestOptionsCases } from './request-options.cases.ts';

/** Every case file of the suite, in the order they run. */
export const CASE_FILES: CaseFile[] = [
  discoveryCases,
  configmapCases,
  coreCases,
  coordinationEventsCases,
  appsCases,
  rbacAdmissionCases,
  crdCases,
  customResourceCases,
  listCases,
  watchCases,
  patchCases,
  deleteCases,
  requestOptionsCases,
];
