#!/usr/bin/env node
import { createRequire } from 'node:module';
import { Command } from 'commander';
import { runChat } from './cli/chat.js';
import { generateCommand } from './cli/generate.js';
import { modelCommand } from './cli/model-command.js';
import { ocrCommand } from './cli/ocr.js';
import { permissionsCommand } from './cli/permissions/check.js';
import { runServe } from './cli/serve.js';
import { runWorker } from './cli/worker.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const program = new Command()
  .name('teambot')
  .description(
    'A self-hosted LLM bot for Slack and Lark/Feishu. Settings come from the environment (see README).',
  )
  .version(version);

program
  .command('serve', { isDefault: true })
  .description('run the HTTP server (health, metrics, platform webhooks) and the chat adapters')
  .action(() => runServe(version));

program
  .command('worker')
  .description(
    'run an inference worker: the engine only, behind /v1 (OpenAI-compatible), /health, /ready, /metrics and /load',
  )
  .action(() => runWorker(version));

program
  .command('chat')
  .description('talk to teambot in this terminal, through the same pipeline as Slack and Lark')
  .action(() => runChat(version));

program.addCommand(generateCommand());
program.addCommand(modelCommand());
program.addCommand(ocrCommand());
program.addCommand(permissionsCommand());

await program.parseAsync();
