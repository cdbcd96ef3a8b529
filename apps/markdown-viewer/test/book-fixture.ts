export const SAMPLE_BOOK: Record<string, string> = {
  'SUMMARY.md': `# Sample Book

- [Introduction](intro.md)
- [Setup](setup.md)
    - [Details](details.md)
- [Draft chapter]()
`,
  'intro.md': `# Introduction

Welcome to the <b>book</b>. Continue with [setup](setup.md).

[bad](javascript:alert(1))
`,
  'setup.md': `# Setup

\`\`\`yaml
apiVersion: view.kubebuilder.example.com/v1
kind: MarkdownView
\`\`\`

## Next steps
`,
  'details.md': '# Details\n\nThe last page.\n',
};
