import { MarkdownView } from './api/v1/markdown-view.ts';
import { markdownViewController } from './controllers/markdown-view.controller.ts';

/**
 * Everything `nx run markdown-view:manifests` turns into YAML: the CRD under
 * deploy/markdown-view/crd/ and the ClusterRole deploy/markdown-view/rbac/role.yaml from the
 * permissions the controller declares.
 */
export const app = 'markdown-view';
export const kinds = [MarkdownView];
export const controllers = [markdownViewController()];

export default { app, kinds, controllers };
