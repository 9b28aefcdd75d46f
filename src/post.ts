import { actionsCore as core } from './actions-core.js'

// Filled in by the process work: finishes a deployment whose main step was killed.
core.debug('Red Button post step: nothing to finish')
