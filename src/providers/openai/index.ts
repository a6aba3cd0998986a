/**
 * The adapter for OpenAI, DeepSeek and every OpenAI-compatible endpoint (Ollama, LM Studio, vLLM,
 * OpenRouter). Importing it is cheap: the openai SDK loads with the first request.
 */
import type { CreateLanguageModel } from '../spec.js';
import { OpenAIChatModel } from './openai-model.js';

export const createModel: CreateLanguageModel = (settings) => new OpenAIChatModel(settings);
