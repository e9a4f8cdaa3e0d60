import { resolve } from 'node:path';
import { ModelError } from '../model/errors.js';
import { readModelJson, readModelText } from '../model/model-files.js';
import {
  chatTemplateField,
  isObject,
  type JsonObject,
  namedSpecialTokens,
  specialToken,
  tokenIds,
} from './token-config.js';
import { createTextTokenizer, type TextTokenizer } from './tokenizer.js';

/** The tokenizer of one model with what the prompt and the stop rule need from its configs. */
export interface LoadedTokenizer {
  tokenizer: TextTokenizer;
  /** The Jinja chat template (chat_template.jinja wins over the config's); undefined when the model has none. */
  chatTemplate?: string;
  bosToken?: string;
  eosToken?: string;
  /**
   * Whether a prompt should start with the BOS token: the config's `add_bos_token`, else whether the
   * tokenizer's own post-processor puts one in front (Llama 3 does, GPT-2 and Qwen do not).
   */
  addBosToken: boolean;
  /** generation_config's eos_token_id (a number or a list), else config.json's, else the EOS token's id. */
  eosTokenIds: number[];
  /** The BOS token's id, else generation_config's or config.json's bos_token_id. */
  bosTokenId?: number;
}

/** File names (relative to the directory, or absolute) where a model keeps them elsewhere. */
export interface TokenizerFileNames {
  tokenizer: string;
  tokenizerConfig: string;
  specialTokensMap: string;
  chatTemplate: string;
  /** chat_template.json: `{ "chat_template": ... }`, kept by repos with a processor. */
  chatTemplateJson: string;
  generationConfig: string;
  /** The model's config.json: its eos/bos ids are the fallback after generation_config's. */
  modelConfig: string;
}

export const DEFAULT_TOKENIZER_FILES: Readonly<TokenizerFileNames> = {
  tokenizer: 'tokenizer.json',
  tokenizerConfig: 'tokenizer_config.json',
  specialTokensMap: 'special_tokens_map.json',
  chatTemplate: 'chat_template.jinja',
  chatTemplateJson: 'chat_template.json',
  generationConfig: 'generation_config.json',
  modelConfig: 'config.json',
};

function idField(config: JsonObject | undefined, key: string): number[] {
  const own = tokenIds(config?.[key]);
  if (own.length > 0 || config === undefined) return own;
  // Multimodal configs keep the language model's ids in text_config.
  return isObject(config.text_config) ? tokenIds(config.text_config[key]) : [];
}

/** Whether encoding with special tokens puts the BOS first (a TemplateProcessing post-processor does). */
function postProcessorAddsBos(tokenizer: TextTokenizer, bosTokenId: number | undefined): boolean {
  if (bosTokenId === undefined) return false;
  try {
    return tokenizer.encode('', { addSpecialTokens: true })[0] === bosTokenId;
  } catch {
    return false;
  }
}

/**
 * Reads a model directory's tokenizer (tokenizer.json, required) and the optional files around it:
 * tokenizer_config.json, special_tokens_map.json, chat_template.jinja / chat_template.json,
 * generation_config.json and config.json. Missing or malformed files give a ModelError naming them.
 */
export async function loadTokenizer(
  dir: string,
  files: Partial<TokenizerFileNames> = {},
): Promise<LoadedTokenizer> {
  const names = { ...DEFAULT_TOKENIZER_FILES, ...files };
  const path = (name: string) => resolve(dir, name);
  const [tokenizerJson, config, specialMap, templateFile, templateJson, generation, modelConfig] =
    await Promise.all([
      readModelJson(path(names.tokenizer), false),
      readModelJson(path(names.tokenizerConfig), true),
      readModelJson(path(names.specialTokensMap), true),
      readModelText(path(names.chatTemplate), true),
      readModelJson(path(names.chatTemplateJson), true),
      readModelJson(path(names.generationConfig), true),
      readModelJson(path(names.modelConfig), true),
    ]);

  let tokenizer: TextTokenizer;
  try {
    tokenizer = createTextTokenizer(tokenizerJson, config ?? {}, namedSpecialTokens(config, specialMap));
  } catch (error) {
    throw new ModelError(
      'bad_file',
      `${names.tokenizer} in ${dir} is not a tokenizer this engine can read: ${(error as Error).message}`,
      { cause: error },
    );
  }

  const bosToken = specialToken('bos_token', config, specialMap);
  const eosToken = specialToken('eos_token', config, specialMap);
  const bosTokenId =
    (bosToken === undefined ? undefined : tokenizer.tokenToId(bosToken)) ??
    idField(generation, 'bos_token_id')[0] ??
    idField(modelConfig, 'bos_token_id')[0];

  let eosTokenIds = idField(generation, 'eos_token_id');
  if (eosTokenIds.length === 0) eosTokenIds = idField(modelConfig, 'eos_token_id');
  if (eosTokenIds.length === 0 && eosToken !== undefined) {
    const id = tokenizer.tokenToId(eosToken);
    if (id !== undefined) eosTokenIds = [id];
  }

  const chatTemplate =
    templateFile ??
    chatTemplateField(templateJson?.chat_template) ??
    chatTemplateField(config?.chat_template);

  const addBosToken =
    typeof config?.add_bos_token === 'boolean'
      ? config.add_bos_token
      : postProcessorAddsBos(tokenizer, bosTokenId);

  return {
    tokenizer,
    ...(chatTemplate === undefined ? {} : { chatTemplate }),
    ...(bosToken === undefined ? {} : { bosToken }),
    ...(eosToken === undefined ? {} : { eosToken }),
    addBosToken,
    eosTokenIds: [...new Set(eosTokenIds)],
    ...(bosTokenId === undefined ? {} : { bosTokenId }),
  };
}
