import { Fermat } from './api/v1beta1/fermat.ts';
import { NumberKind } from './api/v1beta1/number.ts';
import { Tuple } from './api/v1beta1/tuple.ts';
import { fermatController } from './controllers/fermat.controller.ts';
import { numberController } from './controllers/number.controller.ts';
import { tupleController } from './controllers/tuple.controller.ts';

/**
 * Everything `nx run math:manifests` turns into YAML: one CRD per kind under deploy/math/crd/,
 * and the ClusterRole deploy/math/rbac/role.yaml from the permissions the controllers declare.
 */
export const app = 'math';
export const kinds = [NumberKind, Tuple, Fermat];
export const controllers = [numberController, tupleController, fermatController];

export default { app, kinds, controllers };
