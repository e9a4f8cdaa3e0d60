/**
 * Deterministic generator of small Llama-style decoder models in the onnx-community layout
 * (config.json, tokenizer files, onnx/model.onnx and onnx/model_q4.onnx with external data).
 * Weights are seeded random: the text is meaningless, the graph is a real Llama with a KV cache.
 */
export { demoModelDirName, type EnsureDemoModelOptions, ensureDemoModel } from './ensure.js';
export { pastKeyName, pastValueName, presentKeyName, presentValueName } from './llama-io.js';
export {
  DEFAULT_DEMO_SEED,
  DEMO_ARCHS,
  type DemoArch,
  type DemoSize,
  type DemoSpec,
  demoSpec,
  GENERATOR_VERSION,
  isDemoArch,
  isDemoSize,
  parameterCount,
} from './spec.js';
export { CHATML_TEMPLATE, END_OF_TEXT, IM_END, IM_START } from './tokenizer-files.js';
export { ONNX_VARIANTS, type WrittenDemoModel, writeDemoModel } from './write-model.js';
