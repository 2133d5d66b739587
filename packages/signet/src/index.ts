export { main } from './cli.js';
export type { MainOptions } from './cli.js';
export type { Prompter } from './prompt.js';
