// Compiles server/ into build/server/ (what `yarn dev` and the backfill migrations run).
require('esbuild').buildSync({ entryPoints: ['server/**/*.ts'], outdir: 'build/server', platform: 'node' })
