import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * Builds the dashboard page (dashboard/) into `outDir`: index.html, app.js with Chart.js bundled in
 * (nothing loaded from elsewhere), app.css, favicon.svg. `npm run build` runs it into dist/dashboard; tests build
 * into a folder of their own.
 */
export async function buildDashboard(outDir: string, root = process.cwd()): Promise<void> {
  const source = path.join(root, 'dashboard');
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: { app: path.join(source, 'main.ts') },
    outdir: outDir,
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    platform: 'browser',
    legalComments: 'eof',
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'favicon.svg']) copyFileSync(path.join(source, file), path.join(outDir, file));
}

if (require.main === module) {
  buildDashboard(path.resolve(process.argv[2] ?? 'dist/dashboard')).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
