// Bundles TypeScript entries for Node (ESM, the native `cap` and `ftp-srv` left out) into `outDir`: one
// `<name>.mjs` per entry. Used by build-cli.mjs and build-bench.mjs.
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

/** entries: output name → source path (from the project root); outDir: from the project root. */
export async function bundleForNode(entries, outDir) {
  for (const [name, entry] of Object.entries(entries))
    await build({
      entryPoints: [`${root}${entry}`],
      outfile: `${root}${outDir}/${name}.mjs`,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // ftp-srv (the lab's FTP server) stays a package: its logger's optional native DTrace binding cannot be bundled.
      external: ['cap', 'ftp-srv'],
      banner: { js: "import { createRequire as __wlCreateRequire } from 'node:module'; const require = __wlCreateRequire(import.meta.url);" },
      logLevel: 'warning',
    });
}
