import type { CreateLanguageModel } from '../spec.js';
import { MistralModel } from './mistral-model.js';

/** Builds a Mistral model. Cheap: the SDK loads on the model's first request. */
export const createModel: CreateLanguageModel = (settings) => new MistralModel(settings);
