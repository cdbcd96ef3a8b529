#!/usr/bin/env node
// Runs the local-apiserver CLI from its TypeScript sources through tsx (no build needed).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
