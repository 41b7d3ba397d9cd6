#!/usr/bin/env node
// `npm start`: opens the desktop app. Electron downloads its binary the first time it runs on a
// machine; where that is impossible (an offline machine), this says so and starts the same app in
// the local HTTP host instead, which serves the same renderer and engine on 127.0.0.1.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const pathFile = join(dirname(require.resolve('electron/package.json')), 'path.txt');
    const dist = join(dirname(require.resolve('electron/package.json')), 'dist');
    if (existsSync(pathFile)) return join(dist, (require('node:fs').readFileSync(pathFile, 'utf8') || '').trim());
    return require('electron'); // triggers the lazy download on first use
  } catch (error) {
    return { error };
  }
}

const bin = electronBinary();
if (typeof bin === 'string' && existsSync(bin)) {
  const child = spawn(bin, [root], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const why = typeof bin === 'object' && bin.error ? String(bin.error.message || bin.error).split('\n')[0] : 'binary not found';
  console.error(`The Electron binary is not available on this machine (${why}).`);
  console.error('Starting DiffGuard in the local HTTP host instead: open the URL below in a browser.\n');
  const child = spawn(process.execPath, [join(root, 'out', 'main', 'serve.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}
