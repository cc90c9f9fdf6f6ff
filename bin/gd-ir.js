#!/usr/bin/env node
// The CLI is built into dist/bundle/ (`npm run build`: tsc, then esbuild with one lazy chunk per command).
import '../dist/bundle/entry.js';
