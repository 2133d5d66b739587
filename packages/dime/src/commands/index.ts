/**
 * The `dime` commands, each `register<Name>(program, ctx)`. Adding a command is one line here;
 * `cli.ts` registers them all (a module namespace lists them alphabetically; the help shows that order).
 */
export { registerResolve } from './resolve.js';
export { registerRecord } from './record.js';
export { registerLookup } from './lookup.js';
