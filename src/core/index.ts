/**
 * @file The engine's public surface. Hosts import from here (and from the sub-folders' index
 * files); nothing here imports electron.
 */
export { createEngine, openHost, defaultDataDir, defaultModelsDir, loadAnalyzer, loadLexical, loadModels, type Host, type HostOptions } from './host';
export { createEngineFromParts, ENGINE_VERSION, type EngineParts } from './engine/engine';
export type * from './engine/types';
export { loadPolicyFile, parsePolicy, resolvePolicy, PRESETS, PolicyError, type Policy, type PolicyAction } from './policy/policy';
