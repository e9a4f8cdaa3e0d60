/** One card message an answer streams into: shown as it grows, then finished. */
export interface CardSink {
  /** Shows `text` (the part so far): sends the card the first time, updates it after. */
  show(text: string): Promise<void>;
  /** Shows `text` as the card's final content and ends the card. */
  finish(text: string): Promise<void>;
  /** Ends a card that failed midway, as far as that still works. Never rejects. */
  abandon(): Promise<void>;
}
