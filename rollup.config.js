import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import typescript from '@rollup/plugin-typescript'
import { readFileSync } from 'node:fs'

/**
 * libpg-query's loader is Emscripten CommonJS that reads its .wasm from beside itself
 * (`__dirname`): both are copied as they are next to the chunks, and the parser's chunk
 * imports the loader (Node loads a .cjs file from ESM natively). `dist/` stays self-contained.
 */
const PG_QUERY = 'node_modules/libpg-query/wasm'
const PG_QUERY_LOADER = 'red-button:libpg-query-loader'
function pgQueryWasm() {
  return {
    name: 'pg-query-wasm',
    resolveId(source, importer) {
      if (source === './libpg-query.js' && importer?.includes('libpg-query'))
        return { id: PG_QUERY_LOADER, external: true }
      return null
    },
    generateBundle() {
      for (const [from, to] of [
        ['libpg-query.js', 'libpg-query.cjs'],
        ['libpg-query.wasm', 'libpg-query.wasm']
      ])
        this.emitFile({
          type: 'asset',
          fileName: `chunks/${to}`,
          source: readFileSync(`${PG_QUERY}/${from}`)
        })
    }
  }
}

// One config, two entries (main and post): what they share and every lazily imported area
// become chunks in dist/chunks/, which both entries load from there.
export default {
  input: { index: 'src/index.ts', post: 'src/post.ts' },
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name].js',
    // only the parser's chunk (in chunks/) imports the loader
    paths: { [PG_QUERY_LOADER]: './libpg-query.cjs' },
    sourcemap: false
  },
  onwarn(warning, warn) {
    if (warning.code === 'CIRCULAR_DEPENDENCY' && /node_modules/.test(warning.message)) return
    if (warning.code === 'THIS_IS_UNDEFINED') return
    // zod's regexes.js explains in a doc comment why a call carries `@__PURE__`; Rollup reads
    // the word in that prose as an annotation it cannot place and warns. Nothing is dropped or
    // kept differently: the real annotations below the comment are read as usual.
    if (warning.code === 'INVALID_ANNOTATION' && /node_modules[\\/]zod[\\/]/.test(warning.id ?? ''))
      return
    warn(warning)
  },
  plugins: [
    pgQueryWasm(),
    typescript({ tsconfig: './tsconfig.build.json' }),
    nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
    commonjs(),
    json(),
    terser({ format: { comments: false } })
  ]
}
