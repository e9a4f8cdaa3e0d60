/**
 * A decoder that takes `inputs_embeds` (Qwen3.5 and the other multimodal exports of onnx-community)
 * behind the interface of one that takes `input_ids`: each run looks the ids up in the model's own
 * embedding graph (`onnx/embed_tokens*.onnx`) and feeds the result to the decoder. Everything
 * downstream (IO spec, caches, scheduler) sees an ordinary decoder.
 */
import type * as ort from 'onnxruntime-node';

export const EMBEDS_INPUT = 'inputs_embeds';
const IDS_INPUT = 'input_ids';

type Session = ort.InferenceSession;

export class EmbeddedSession implements Session {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata: readonly ort.InferenceSession.ValueMetadata[];
  readonly outputMetadata: readonly ort.InferenceSession.ValueMetadata[];

  constructor(
    readonly embed: Session,
    readonly decoder: Session,
  ) {
    const ids = embed.inputMetadata.find((m) => m.name === IDS_INPUT);
    if (ids === undefined || !embed.outputNames.includes(EMBEDS_INPUT)) {
      throw new Error(`The embedding graph must map ${IDS_INPUT} to ${EMBEDS_INPUT}.`);
    }
    this.inputMetadata = decoder.inputMetadata.map((m) => (m.name === EMBEDS_INPUT ? ids : m));
    this.inputNames = this.inputMetadata.map((m) => m.name);
    this.outputMetadata = decoder.outputMetadata;
    this.outputNames = decoder.outputNames;
  }

  /** Whether `session` takes embeddings and so needs an embedding graph in front of it. */
  static needed(session: Session): boolean {
    return session.inputNames.includes(EMBEDS_INPUT) && !session.inputNames.includes(IDS_INPUT);
  }

  async run(
    feeds: ort.InferenceSession.FeedsType,
    fetchesOrOptions?: ort.InferenceSession.FetchesType | ort.InferenceSession.RunOptions,
    options?: ort.InferenceSession.RunOptions,
  ): Promise<ort.InferenceSession.ReturnType> {
    const { [IDS_INPUT]: ids, ...rest } = feeds;
    // Embeddings computed by the caller (a vision prompt's, with the pictures' features merged in).
    if (ids === undefined && rest[EMBEDS_INPUT] !== undefined) {
      return this.runDecoder(rest, fetchesOrOptions, options);
    }
    if (ids === undefined) throw new Error(`The step has no ${IDS_INPUT}.`);
    const embedded = await this.embed.run({ [IDS_INPUT]: ids }, [EMBEDS_INPUT]);
    const embeds = embedded[EMBEDS_INPUT] as ort.Tensor;
    try {
      return await this.runDecoder({ ...rest, [EMBEDS_INPUT]: embeds }, fetchesOrOptions, options);
    } finally {
      embeds.dispose();
    }
  }

  private runDecoder(
    feeds: ort.InferenceSession.FeedsType,
    fetchesOrOptions?: ort.InferenceSession.FetchesType | ort.InferenceSession.RunOptions,
    options?: ort.InferenceSession.RunOptions,
  ): Promise<ort.InferenceSession.ReturnType> {
    // onnxruntime tells fetches from run options apart at run time, as it does for its callers.
    return fetchesOrOptions === undefined
      ? this.decoder.run(feeds)
      : this.decoder.run(feeds, fetchesOrOptions as ort.InferenceSession.FetchesType, options);
  }

  /** The same embedding in front of another decoder session (the patched one of tail-session.ts). */
  withDecoder(decoder: Session): EmbeddedSession {
    return new EmbeddedSession(this.embed, decoder);
  }

  async release(): Promise<void> {
    await Promise.all([this.embed.release(), this.decoder.release()]);
  }

  startProfiling(): void {
    this.decoder.startProfiling();
  }

  endProfiling(): void {
    this.decoder.endProfiling();
  }
}
