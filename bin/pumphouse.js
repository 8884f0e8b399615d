#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

// `-out FILE` is Terraform's spelling; commander wants `--out`.
const argv = process.argv.slice(2).map((a) => (a === '-out' ? '--out' : a));
process.exitCode = await main(argv);
