import { hybridBatchSuite } from './batch-suite.js';
import { generatedModelDir } from './models.js';

const prompts = [
  'Once upon a time, in a small town by the sea,',
  'Hi',
  'The team meeting moved to Thursday afternoon; please tell everyone who joins by video.',
  'What is the status of the build?',
  'a b c',
];

hybridBatchSuite({ name: 'the generated LFM2', dir: () => generatedModelDir('lfm2'), prompts, tokens: 40 });
hybridBatchSuite({
  name: 'the generated Qwen3.5',
  dir: () => generatedModelDir('qwen3_5'),
  prompts,
  tokens: 40,
});
