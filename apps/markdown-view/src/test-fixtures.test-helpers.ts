import type { MarkdownViewObject } from './api/v1/markdown-view.ts';

export function sampleView(overrides: Partial<MarkdownViewObject['spec']> = {}, name = 'book'): MarkdownViewObject {
  return {
    apiVersion: 'view.kubebuilder.example.com/v1',
    kind: 'MarkdownView',
    metadata: { name, namespace: 'docs', uid: 'uid-1', generation: 2 },
    spec: {
      markdowns: { 'SUMMARY.md': '# Book\n\n- [Page](page.md)\n', 'page.md': '# Page\n' },
      replicas: 2,
      ...overrides,
    },
  };
}
