/** Calls `fn` at most once per `ms`, and at once when the error message changes. */
export function throttled(ms: number, fn: (error: Error) => void): (error: Error) => void {
  let last = 0;
  let lastMessage = '';
  return (error) => {
    const now = Date.now();
    if (now - last < ms && error.message === lastMessage) return;
    last = now;
    lastMessage = error.message;
    fn(error);
  };
}
