import type { CreateLanguageModel } from '../spec.js';
import { AnthropicModel } from './anthropic-model.js';

/** Builds an Anthropic Messages model. Cheap: the SDK loads on the model's first request. */
export const createModel: CreateLanguageModel = (settings) => new AnthropicModel(settings);
