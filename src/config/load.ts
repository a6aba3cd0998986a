/**
 * Loads everything llmo is configured by, once per process: the catalog (models.yaml) and the
 * settings (config.yaml). Both are validated; a mistake is a ConfigError naming file and line.
 */
import { buildCatalog, type ModelCatalog } from './catalog.js';
import { openConfigCache } from './config-cache.js';
import { requireProfile, resolvePaths, type LlmoPaths } from './paths.js';
import { buildSettings, type Settings } from './settings.js';
import { readYamlFile, yamlFileFromValue, type YamlFile } from './yaml-file.js';

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
  requireProfile(paths);
  const modelFiles = [paths.shippedModelsFile, paths.userModelsFile];
  const settingFiles = [paths.shippedConfigFile, paths.userConfigFile, paths.projectFile];
  const sources = readSources(paths.runtimeDir, [...modelFiles, ...settingFiles]);
  const present = (list: (YamlFile | undefined)[]) => list.filter((file): file is YamlFile => file !== undefined);
  const modelSources = present(sources.files.slice(0, modelFiles.length));
  const settingSources = present(sources.files.slice(modelFiles.length));
  const catalog = buildCatalog(modelSources);
  const settings = buildSettings(settingSources);
  applyRequestMaxTokens(catalog, settings);
  const config: LlmoConfig = {
    paths,
    catalog,
    settings,
    files: [...modelSources, ...settingSources].map((source) => source.file),
    env,
  };
  // Only a configuration that validated is remembered, so a cached one never needs its errors.
  sources.remember();
  return config;
}

/** Each file parsed (undefined when missing), from the cache when none of them changed. */
function readSources(runtimeDir: string, files: string[]): { files: (YamlFile | undefined)[]; remember: () => void } {
  const cache = openConfigCache(runtimeDir, files);
  const cached = cache.values;
  if (cached) {
    return {
      files: files.map((file, index) => (cached[index] === undefined ? undefined : yamlFileFromValue(file, cached[index]))),
      remember: () => {},
    };
  }
  const parsed = files.map(readYamlFile);
  return { files: parsed, remember: () => cache.store(parsed.map((source) => source?.value)) };
}

export type { ModelCatalog, Settings, LlmoPaths };
export type { ModelInfo, Pricing, ProviderInfo, SystemPrompts, AdapterName } from './catalog.js';

/**
 * Every listed model gets the max_tokens its requests carry by default: its own default_max_tokens,
 * else request.max_tokens from config, never more than the model can write. Requests and budget
 * estimates both read it, so what is estimated is what is sent.
 */
function applyRequestMaxTokens(catalog: ModelCatalog, settings: Settings): void {
  for (const provider of catalog.providers.values()) {
    for (const model of provider.models) {
      model.defaultMaxTokens = Math.min(model.defaultMaxTokens ?? settings.request.maxTokens, model.maxTokens ?? Number.POSITIVE_INFINITY);
    }
  }
}
