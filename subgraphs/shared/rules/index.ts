/** The Migration Code as pure functions: facts and an evaluation date in, a decision with reasons out. */
export * from './types';
export * from './dates';
export * from './calendar';
export * from './parameters';
export * from './catalog';
export * from './working-days';
export * from './stay';
export * from './stay-extension';
export * from './registration';
export * from './visa';
export * from './work-permit';
export * from './temporary-residence';
export * from './permanent-residence';
export * from './citizenship';
export * from './state-duty';
export * from './fines';
export * from './intake';
