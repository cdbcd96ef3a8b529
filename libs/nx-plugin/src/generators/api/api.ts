import { formatFiles, names, type Tree } from '@nx/devkit';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addToKustomization } from '../shared/kustomization.ts';
import { insertBeforeMarker } from '../shared/markers.ts';
import { checkGroup, checkVersion, isProtectedGroup, kindNames } from '../shared/names.ts';
import { readOperatorApp } from '../shared/operator-app.ts';
import { writeNewFiles } from '../shared/write-files.ts';

export interface ApiGeneratorSchema {
  project: string;
  group: string;
  apiVersion: string;
  kind: string;
  /** Default true; false for a cluster-scoped kind. */
  namespaced?: boolean;
  /** Default true; false for the kind alone. */
  controller?: boolean;
  force?: boolean;
  skipFormat?: boolean;
}

const here = dirname(fileURLToPath(import.meta.url));

/**
 * `nx g @kubeloop/nx:api --project <app> --group <group> --api-version <v> --kind <Kind>` —
 * kubebuilder's `create api`: the kind (src/api/<v>/<kind>.ts: defineKind with one example spec
 * field and a status with observedGeneration and conditions), the group `<group>.<domain>`, a
 * sample deploy/<app>/samples/<group>_<v>_<kind>.yaml (the group without the domain, as kubebuilder; in
 * a group kube-apiserver protects, `*.k8s.io`, the kind carries an "unapproved" apiApproval, which
 * its CRD needs), and with the controller
 * (default) src/controllers/<kind>.controller.ts — read the object, report Ready — with an
 * integration test on the sample. Wired into manifests.ts (so setup.ts runs it and `manifests`
 * renders it) and into the crd/ and samples/ kustomizations.
 */
export async function apiGenerator(tree: Tree, options: ApiGeneratorSchema): Promise<void> {
  const app = readOperatorApp(tree, options.project);
  checkGroup(options.group);
  checkVersion(options.apiVersion);
  const k = kindNames(options.kind);
  const group = `${options.group}.${app.domain}`;
  const version = options.apiVersion;
  const withController = options.controller !== false;
  // kubebuilder's config/samples/<group>_<version>_<kind>.yaml: the group as given, without the domain.
  const sampleFile = `${options.group}_${version}_${k.lower}.yaml`;
  const subs = {
    project: app.name,
    appClassName: names(app.name).className,
    group,
    version,
    kind: k.kind,
    kindFile: k.fileName,
    lower: k.lower,
    plural: k.plural,
    propertyName: k.propertyName,
    namespacedKind: options.namespaced !== false,
    protectedGroup: isProtectedGroup(group),
    sampleFile,
  };
  const force = options.force === true;
  writeNewFiles(tree, join(here, 'kind-files'), '.', subs, force);
  if (withController) writeNewFiles(tree, join(here, 'controller-files'), '.', subs, force);

  const manifests = `${app.root}/src/manifests.ts`;
  // Another version of this kind already listed (`import { CronJob } from './api/v1/...'`): this
  // one comes in under a versioned name (CronJobV2), so both are in `kinds` (one CRD, two versions).
  const text = tree.read(manifests, 'utf-8') ?? '';
  const otherVersion = new RegExp(
    `import \\{ ${k.kind}(?: as \\w+)? \\} from '\\./api/(?!${version}/)[^/]+/${k.fileName}\\.ts';`,
  ).test(text);
  const local = otherVersion ? `${k.kind}${names(version).className}` : k.kind;
  insertBeforeMarker(
    tree,
    manifests,
    'imports',
    `import { ${local === k.kind ? k.kind : `${k.kind} as ${local}`} } from './api/${version}/${k.fileName}.ts';`,
  );
  insertBeforeMarker(tree, manifests, 'kinds', `${local},`);
  if (withController) {
    insertBeforeMarker(
      tree,
      manifests,
      'imports',
      `import { ${k.propertyName}Controller } from './controllers/${k.fileName}.controller.ts';`,
    );
    insertBeforeMarker(tree, manifests, 'controllers', `${k.propertyName}Controller,`);
  }
  addToKustomization(tree, `deploy/${app.name}/crd/kustomization.yaml`, `${group}_${k.plural}.yaml`);
  addToKustomization(tree, `deploy/${app.name}/samples/kustomization.yaml`, sampleFile);
  if (!options.skipFormat) await formatFiles(tree);
}

export default apiGenerator;
