export { readInputFile, fileExists, writeFileAtomic, MAX_INPUT_FILE_BYTES } from './files.js';
export type { WriteOptions } from './files.js';
export { reportFailure, printJson, oneLine, errorJson, toDimeError, processOutput } from './cli-runtime.js';
export type { Output, FailureOptions } from './cli-runtime.js';
export { packageVersionOf, binOutputConfiguration, configureBinProgram } from './cli-program.js';
export type { BinOutputConfiguration, BinProgram } from './cli-program.js';
