/**
 * The shape of the code (docs/design.md section 12), kept by a tool: one rule per "never" line,
 * and no import cycles. `npm run lint` runs it; a new import that breaks a rule fails there.
 * Type-only imports count too: a type is knowledge of another area.
 */
const area = (name) => `^src/${name}/`

module.exports = {
  forbidden: [
    {
      name: 'settings-come-first',
      severity: 'error',
      comment:
        'settings/ -> run/, gate/, notify/, report/, record/, github/: never (inputs are read before anything uses them).',
      from: { path: area('settings') },
      to: { path: ['^src/(run|gate|notify|report|record|github)/'] }
    },
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No import cycles: the data flows one way.',
      from: { path: '^src/' },
      to: { circular: true }
    },
    {
      name: 'schedule-is-pure',
      severity: 'error',
      comment: 'schedule/ -> github/, run/, notify/: never (time rules are pure).',
      from: { path: area('schedule') },
      to: { path: ['^src/(github|run|notify)/'] }
    },
    {
      name: 'gate-never-acts',
      severity: 'error',
      comment: 'gate/ -> run/, notify/: never (the gate decides, it never acts).',
      from: { path: area('gate') },
      to: { path: ['^src/(run|notify)/'] }
    },
    {
      name: 'run-never-re-decides',
      severity: 'error',
      comment: 'run/ -> gate/: never (the process does not re-decide).',
      from: { path: area('run') },
      to: { path: [area('gate')] }
    },
    {
      name: 'github-knows-no-policy',
      severity: 'error',
      comment: 'github/ -> gate/, run/, notify/: never (the adapter knows no policy).',
      from: { path: area('github') },
      to: { path: ['^src/(gate|run|notify)/'] }
    },
    {
      name: 'report-only-renders',
      severity: 'error',
      comment: 'report/ -> run/, github/: never (rendering neither acts nor calls the API).',
      from: { path: area('report') },
      to: { path: ['^src/(run|github)/'] }
    },
    {
      name: 'notify-carries-a-record',
      severity: 'error',
      comment: 'notify/ -> run/, gate/: never (messages carry a record, not internals).',
      from: { path: area('notify') },
      to: { path: ['^src/(run|gate)/'] }
    },
    {
      name: 'resume-never-deploys',
      severity: 'error',
      comment: 'resume/ -> gate/, run/: never (resuming re-runs a job, it never deploys).',
      from: { path: area('resume') },
      to: { path: ['^src/(gate|run)/'] }
    },
    {
      name: 'record-before-reports',
      severity: 'error',
      comment:
        'record/ -> report/, notify/: never (the record is made before it is rendered or sent).',
      from: { path: area('record') },
      to: { path: ['^src/(report|notify)/'] }
    },
    {
      name: 'sql-is-pure',
      severity: 'error',
      comment: 'sql/ reads SQL and says what it does: it neither acts, calls, decides nor renders.',
      from: { path: area('sql') },
      to: { path: ['^src/(github|run|notify|gate|report)/'] }
    },
    {
      name: 'sql-parser-loads-lazily',
      severity: 'error',
      comment:
        'The SQL parser (WebAssembly, the heaviest part) is loaded only by a run with migrations-path: sql/lint.ts is only imported dynamically.',
      from: { path: '^src/', pathNot: area('sql') },
      to: { path: ['^src/sql/lint\\.ts$', 'libpg-query'], dynamic: false }
    },
    {
      name: 'record-has-one-owner',
      severity: 'error',
      comment: 'Only main.ts and the post step make a record owner; others are handed the run.',
      from: { path: '^src/', pathNot: ['^src/main\\.ts$', '^src/run/post\\.ts$', '^src/record/'] },
      to: { path: '^src/record/owner\\.ts$', dependencyTypesNot: ['type-only'] }
    },
    {
      name: 'post-step-stays-light',
      severity: 'error',
      comment: 'The post step finishes a run; it never loads the gate.',
      from: { path: '^src/post\\.ts$' },
      to: { path: area('gate'), reachable: true }
    }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default']
    }
  }
}
