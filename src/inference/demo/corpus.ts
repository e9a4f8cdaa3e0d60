/** A short English text the demo tokenizer learns its BPE merges from (original prose). */
export const DEMO_CORPUS = `The team bot lives in the chat room and answers when someone mentions it.
It reads the question, thinks for a moment, and then writes a reply one token at a time.
When the model is small, the answers are short; when the model is large, the answers are better.
This demo model has random weights, so the words it writes do not mean anything at all.
That is fine for tests: the shapes, the cache and the tokenizer are what we want to check.

A good assistant is helpful, honest and kind. It should say when it does not know something,
and it should keep the conversation friendly. People ask about the weather, the time,
the build that failed this morning, and the meeting that was moved to the afternoon.
The bot can summarize a long thread, translate a message, or explain an error in the logs.

Every message starts with a role and ends with a marker. The system sets the rules,
the user asks, and the assistant answers. The history of the conversation is kept in order,
and the newest message is always at the end. If the history is too long, the oldest
messages are dropped first, so the model still sees the question that matters most.

Numbers like 1, 2, 3, 10, 42, 100 and 2024 appear in questions about dates and prices.
Code appears too: function main() { return 0; } and if (x > 0) { print(x); }.
The quick brown fox jumps over the lazy dog, and the lazy dog does not mind at all.
Thank you for the help! Could you please check the report again? Yes, of course.
We will deploy the new version on Monday, after the tests pass and the review is done.
`;
