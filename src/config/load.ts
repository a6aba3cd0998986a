/**
 * Loads everything llmo is configured by, once per process: the catalog (models.yaml) and the
 * settings (config.yaml). Both are validated; a mistake is a ConfigError naming file and line.
 */
import { buildCatalog, type ModelCatalog } from './catalog.js';
import { resolvePaths, type LlmoPaths } from './paths.js';
import { buildSettings, type Settings } from './settings.js';
import { readYamlFile, type YamlFile } from './yaml-file.js';

export interface LlmoConfig {
  paths: LlmoPaths;
  catalog: ModelCatalog;
  settings: Settings;
  /** The files that were found and read, in the order they apply. */
  files: string[];
  env: NodeJS.ProcessEnv;
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function loadConfig(options: LoadConfigOptions = {}): LlmoConfig {
  const env = options.env ?? process.env;
  const paths = resolvePaths(env, options.cwd);
  const read = (files: string[]): YamlFile[] => files.map(readYamlFile).filter((file): file is YamlFile => file !== undefined);
  const modelSources = read([paths.shippedModelsFile, paths.userModelsFile]);
  const settingSources = read([paths.shippedConfigFile, paths.userConfigFile, paths.projectFile]);
  return {
    paths,
    catalog: buildCatalog(modelSources),
    settings: buildSettings(settingSources),
    files: [...modelSources, ...settingSources].map((source) => source.file),
    env,
  };
}

export type { ModelCatalog, Settings, LlmoPaths };
export type { ModelInfo, Pricing, ProviderInfo, SystemPrompts, AdapterName } from './catalog.js';
