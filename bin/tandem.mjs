#!/usr/bin/env -S node --max-semi-space-size=16
// The `tandem` command: runs the TypeScript CLI through tsx's loader. The young generation is held
// to 16 MB, as `npm start` holds it (docs/decisions.md, "A 16 MB young generation").
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/tandem.ts');
