import type { CreateLanguageModel } from '../spec.js';
import { GeminiModel } from './gemini-model.js';

/** The `gemini` adapter: Google's Gemini API through @google/genai. */
export const createModel: CreateLanguageModel = (settings) => new GeminiModel(settings);
