import { formatFieldError, invalidStatus } from '@kubeloop/runtime';
import { describe, expect, it } from 'vitest';
import { MarkdownView } from '../api/v1/markdown-view.ts';
import { DEFAULT_VIEWER_IMAGE } from '../desired/viewer.ts';
import { sampleView } from '../test-fixtures.test-helpers.ts';
import {
  configMapKeyProblem,
  defaultMarkdownView,
  MAX_MARKDOWNS_BYTES,
  validateMarkdownView,
} from './markdown-view.validation.ts';

const messages = (view: ReturnType<typeof sampleView>, op: 'CREATE' | 'UPDATE' = 'CREATE') =>
  validateMarkdownView(view, op).map(formatFieldError);

describe('validateMarkdownView', () => {
  it('accepts a valid view', () => {
    expect(messages(sampleView())).toEqual([]);
    expect(messages(sampleView({ replicas: 1 }))).toEqual([]);
    expect(messages(sampleView({ replicas: 5 }))).toEqual([]);
  });

  it.each([0, 6, 100, -1, 2.5])('refuses replicas %s with the original message', (replicas) => {
    expect(messages(sampleView({ replicas }))).toEqual([
      `spec.replicas: Invalid value: ${replicas}: replicas must be in the range of 1 to 5.`,
    ]);
  });

  it('refuses markdowns without SUMMARY.md with the original message', () => {
    expect(messages(sampleView({ markdowns: { 'page.md': '# Page' } }))).toEqual([
      'spec.markdowns: Required value: markdowns must have SUMMARY.md.',
    ]);
    expect(messages(sampleView({ markdowns: {} }))).toEqual([
      'spec.markdowns: Required value: markdowns must have SUMMARY.md.',
    ]);
  });

  it('reports both classic errors together, in the 422 Status the webhook returns', () => {
    const view = sampleView({ replicas: 100, markdowns: { 'page.md': '# Page' } });
    const errors = validateMarkdownView(view, 'CREATE');
    expect(invalidStatus(MarkdownView, 'book', errors).message).toBe(
      'MarkdownView.view.kubebuilder.example.com "book" is invalid: [spec.replicas: Invalid value: 100: replicas must be in the range of 1 to 5., spec.markdowns: Required value: markdowns must have SUMMARY.md.]',
    );
  });

  it('refuses page names that are not ConfigMap keys', () => {
    const view = sampleView({ markdowns: { 'SUMMARY.md': '', 'bad name.md': '', 'dir/page.md': '', '..hidden': '' } });
    expect(messages(view)).toEqual([
      expect.stringMatching(
        /^spec\.markdowns\[bad name\.md\]: Invalid value: "bad name\.md": a valid config key must consist of alphanumeric characters/,
      ),
      expect.stringMatching(/^spec\.markdowns\[dir\/page\.md\]: Invalid value: "dir\/page\.md": a valid config key/),
      `spec.markdowns[..hidden]: Invalid value: "..hidden": must not start with '..'`,
    ]);
    expect(configMapKeyProblem('a'.repeat(254))).toBe('must be no more than 253 characters');
    expect(configMapKeyProblem('.')).toBe("must not be '.'");
    expect(configMapKeyProblem('page-1_a.md')).toBeUndefined();
  });

  it('refuses pages that do not fit in one ConfigMap', () => {
    const view = sampleView({ markdowns: { 'SUMMARY.md': 'x'.repeat(MAX_MARKDOWNS_BYTES) } });
    expect(messages(view)).toEqual(['spec.markdowns: Too long: may not be more than 1048576 bytes']);
  });

  it('refuses, on create only, names that cannot name the Service viewer-<name>', () => {
    expect(messages(sampleView({}, 'my.book'))).toEqual([
      expect.stringMatching(/^metadata\.name: Invalid value: "my\.book": must be a lowercase DNS-1035 label/),
    ]);
    expect(messages(sampleView({}, 'a'.repeat(57)))).toHaveLength(1);
    expect(messages(sampleView({}, 'a'.repeat(56)))).toEqual([]);
    expect(messages(sampleView({}, '1book'))).toHaveLength(1);
    expect(messages(sampleView({}, 'my.book'), 'UPDATE')).toEqual([]);
  });
});

describe('defaultMarkdownView', () => {
  it('fills in the viewer image only when empty', () => {
    const view = sampleView();
    defaultMarkdownView(view);
    expect(view.spec.viewerImage).toBe(DEFAULT_VIEWER_IMAGE);
    const custom = sampleView({ viewerImage: 'example/viewer:1' });
    defaultMarkdownView(custom, 'other:2');
    expect(custom.spec.viewerImage).toBe('example/viewer:1');
    const empty = sampleView({ viewerImage: '' });
    defaultMarkdownView(empty, 'other:2');
    expect(empty.spec.viewerImage).toBe('other:2');
  });
});
